package io.xfernode.filter;

import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.util.List;

/**
 * {@code null} filter: passes the bytes through unchanged (SPEC 1.4). It is {@link PassThrough} with
 * nothing added, the reference for every other filter's plumbing.
 */
public final class NullFilter extends BaseElementType<Void> {

  public NullFilter() {
    super("null", Role.FILTER);
  }

  @Override
  public Void parse(JsonFields fields) {
    return null;
  }

  @Override
  public List<MechPair> pairs(Void options) {
    return List.of(MechPair.filter(Mechanism.PUSH, Mechanism.PUSH, 0, 0),
      MechPair.filter(Mechanism.PULL, Mechanism.PULL, 0, 0));
  }

  @Override
  public String describe(Void options) {
    return "passes the bytes through unchanged";
  }

  @Override
  public Element create(Void options) {
    return new PassThrough() {
    };
  }
}
