package io.xfernode.api;

import java.util.Locale;

/**
 * What a token may do (SPEC 2.5, {@code auth.tokens[].role}). Each level includes the ones below it:
 * {@code read} sees (status, list, nodes, events, plan), {@code submit} also starts and cancels
 * transfers, {@code admin} also defines and removes pools and cancels anyone's transfer.
 */
public enum Access {
  READ, SUBMIT, ADMIN;

  /** @return whether this level includes {@code needed} */
  public boolean includes(Access needed) {
    return compareTo(needed) >= 0;
  }

  /** The name in configuration and messages: {@code read}, {@code submit}, {@code admin}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @return the level named {@code label}, or null when there is none */
  public static Access parse(String label) {
    for (Access a : values()) {
      if (a.label().equals(label)) {
        return a;
      }
    }
    return null;
  }
}
