package io.xfernode.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** Hides secrets (any key named like a password) in what is shown to clients, such as statuses and plans. */
public final class Redact {

  private Redact() {
  }

  public static JsonObject json(JsonObject json) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> e : json) {
      out.put(e.getKey(), secret(e.getKey()) && e.getValue() != null ? "***" : value(e.getValue()));
      if (out.getValue(e.getKey()) instanceof String) {
        out.put(e.getKey(), userInfo((String) out.getValue(e.getKey())));
      }
    }
    return out;
  }

  private static Object value(Object v) {
    if (v instanceof JsonObject) {
      return json((JsonObject) v);
    }
    if (v instanceof JsonArray) {
      JsonArray out = new JsonArray();
      ((JsonArray) v).forEach(x -> out.add(value(x)));
      return out;
    }
    return v;
  }

  /** {@code https://user:pw@host/x} becomes {@code https://***@host/x}. */
  private static String userInfo(String s) {
    return s.replaceAll("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@", "$1***@");
  }

  private static boolean secret(String key) {
    String k = key.toLowerCase();
    return k.contains("password") || k.contains("secret") || k.equals("token") || k.equals("authorization");
  }
}
