package io.xfernode.element;

import java.util.Set;

/** The name, role and option keys of an element type, so that a type only says what is its own. */
public abstract class BaseElementType<O> implements ElementType<O> {

  private final String type;
  private final Role role;
  private final Set<String> optionKeys;

  protected BaseElementType(String type, Role role, String... optionKeys) {
    this(type, role, Set.of(optionKeys));
  }

  protected BaseElementType(String type, Role role, Set<String> optionKeys) {
    this.type = type;
    this.role = role;
    this.optionKeys = Set.copyOf(optionKeys);
  }

  @Override
  public final String type() {
    return type;
  }

  @Override
  public final Role role() {
    return role;
  }

  @Override
  public Set<String> optionKeys() {
    return optionKeys;
  }
}
