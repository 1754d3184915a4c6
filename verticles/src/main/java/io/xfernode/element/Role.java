package io.xfernode.element;

/** Where an element sits in a chain. */
public enum Role {
  SOURCE, FILTER, SINK;

  public String label() {
    return name().toLowerCase();
  }
}
