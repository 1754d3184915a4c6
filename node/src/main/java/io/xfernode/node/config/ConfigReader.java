package io.xfernode.node.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.regex.Pattern;

/** Typed, validating reads from a merged config tree. Every failure names the dotted key. */
final class ConfigReader {

  private final JsonObject root;

  ConfigReader(JsonObject root) {
    this.root = root;
  }

  Object value(String path) {
    Object current = root;
    for (String segment : path.split("\\.")) {
      if (!(current instanceof JsonObject)) {
        return null;
      }
      current = ((JsonObject) current).getValue(segment);
    }
    return current;
  }

  String string(String path, Pattern allowed, String rule) {
    Object v = value(path);
    if (!(v instanceof String)) {
      throw new ConfigException(path, "must be a string, got " + describe(v));
    }
    String s = (String) v;
    if (allowed != null && !allowed.matcher(s).matches()) {
      throw new ConfigException(path, rule + ", got " + describe(v));
    }
    return s;
  }

  long integer(String path, long min, long max) {
    Object v = value(path);
    long n;
    if (v instanceof Integer || v instanceof Long) {
      n = ((Number) v).longValue();
    } else if (v instanceof String && ((String) v).matches("-?\\d{1,18}")) {
      n = Long.parseLong((String) v);
    } else {
      throw new ConfigException(path, "must be an integer from " + min + " to " + max + ", got " + describe(v));
    }
    if (n < min || n > max) {
      throw new ConfigException(path, "must be an integer from " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  int port(String path) {
    return (int) integer(path, 0, 65535);
  }

  JsonObject object(String path) {
    Object v = value(path);
    if (!(v instanceof JsonObject)) {
      throw new ConfigException(path, "must be an object, got " + describe(v));
    }
    return (JsonObject) v;
  }

  JsonObject objectOrNull(String path) {
    Object v = value(path);
    if (v == null) {
      return null;
    }
    return object(path);
  }

  JsonArray array(String path) {
    Object v = value(path);
    if (!(v instanceof JsonArray)) {
      throw new ConfigException(path, "must be a list, got " + describe(v));
    }
    return (JsonArray) v;
  }

  static void refuseUnknown(String path, JsonObject object, Set<String> known) {
    for (String key : object.fieldNames()) {
      if (!known.contains(key)) {
        String full = path.isEmpty() ? key : path + "." + key;
        throw new ConfigException(full, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String) {
      String s = (String) v;
      return "\"" + (s.length() > 60 ? s.substring(0, 60) + "…" : s) + "\"";
    }
    if (v instanceof JsonObject) {
      return "an object";
    }
    if (v instanceof JsonArray) {
      return "a list";
    }
    return String.valueOf(v);
  }
}
