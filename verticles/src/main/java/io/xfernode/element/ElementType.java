package io.xfernode.element;

import io.xfernode.api.JsonFields;

import java.util.List;
import java.util.Set;

/**
 * One kind of element, found by {@link #role()} and {@link #type()} in the {@link ElementRegistry}. Adding
 * an element to xfernode means writing one class that implements this, and listing it in
 * {@code META-INF/services/io.xfernode.element.ElementType}.
 *
 * @param <O> the element's parsed options
 */
public interface ElementType<O> {

  /** The {@code type} users write in a spec, e.g. {@code file}. */
  String type();

  Role role();

  /** The option keys this type accepts, besides {@code type} and {@code node}. Others are refused. */
  Set<String> optionKeys();

  /**
   * Parses and validates the options, with no access to the node's file system: that happens at setup,
   * on the node that runs the element. Failures are 400 {@code XferException}s naming the field.
   */
  O parse(JsonFields fields);

  /** The mechanism pairs this element can run with these options, with their costs. */
  List<MechPair> pairs(O options);

  /** Makes a new instance, run by one transfer. */
  Element create(O options);

  /** One line for {@code xfer.plan}: what this element does with these options. */
  default String describe(O options) {
    return type();
  }
}
