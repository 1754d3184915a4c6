package io.xfernode.plan;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Role;

import java.util.List;

/**
 * One element a user asked for, parsed: its place in the chain, its type, its options and the node that
 * runs it.
 *
 * @param name    {@code source}, {@code filters[0]}, …, {@code sink}, or a name the engine gave an element
 *                it added ({@code checksum-out})
 * @param json    the element's options as the user wrote them (without {@code type} and {@code node})
 */
public record ChainElement(String name, Role role, ElementType<Object> type, Object options, String node,
                           JsonObject json) {

  @SuppressWarnings("unchecked")
  public static ChainElement of(String name, Role role, ElementType<?> type, Object options, String node,
                                JsonObject json) {
    return new ChainElement(name, role, (ElementType<Object>) type, options, node, json);
  }

  public List<MechPair> pairs() {
    return type.pairs(options);
  }

  public String describe() {
    return type.describe(options);
  }
}
