package io.xfernode.transport;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

/** A transport's protocol string (SPEC 1.3); the stacking is spelled out, as in {@code tls+tcp}. */
public enum Protocol {
  TCP("tcp"), TLS_TCP("tls+tcp"), UDP("udp");

  private final String text;

  Protocol(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  public boolean tls() {
    return this == TLS_TCP;
  }

  public static Protocol parse(String field, String text) {
    for (Protocol p : values()) {
      if (p.text.equalsIgnoreCase(text)) {
        return p;
      }
    }
    throw XferException.badRequest(field, "unknown transport " + JsonFields.describe(text) + " (known: tcp, tls+tcp, udp)");
  }

  @Override
  public String toString() {
    return text;
  }
}
