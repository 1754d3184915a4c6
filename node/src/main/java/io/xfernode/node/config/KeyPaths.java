package io.xfernode.node.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Maps flat names (environment variables, system properties) onto the key paths of the default config
 * tree, and their text onto typed values.
 *
 * <p>{@code limits.maxTransfers} is {@code XFER_LIMITS_MAX_TRANSFERS} in the environment and
 * {@code -Dxfer.limits.maxTransfers} as a system property.
 */
final class KeyPaths {

  static final String ENV_PREFIX = "XFER_";
  static final String PROPERTY_PREFIX = "xfer.";

  private final Map<String, String> envNameToPath = new TreeMap<>();
  private final Map<String, Object> pathToDefault = new TreeMap<>();

  KeyPaths(JsonObject defaults) {
    collect("", defaults);
  }

  private void collect(String prefix, JsonObject object) {
    for (Map.Entry<String, Object> e : object) {
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      pathToDefault.put(path, e.getValue());
      envNameToPath.put(envName(path), path);
      if (e.getValue() instanceof JsonObject) {
        collect(path, (JsonObject) e.getValue());
      }
    }
  }

  static String envName(String path) {
    StringBuilder sb = new StringBuilder(ENV_PREFIX);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '.') {
        sb.append('_');
      } else if (Character.isUpperCase(c)) {
        sb.append('_').append(c);
      } else {
        sb.append(Character.toUpperCase(c));
      }
    }
    return sb.toString();
  }

  /** @return the layer the {@code XFER_*} variables in {@code env} describe; unknown ones are listed in {@code unknown} */
  JsonObject fromEnvironment(Map<String, String> env, List<String> unknown) {
    JsonObject layer = new JsonObject();
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX)) {
        continue;
      }
      String path = envNameToPath.get(e.getKey());
      if (path == null) {
        unknown.add(e.getKey());
        continue;
      }
      put(layer, path, typed(e.getKey(), path, e.getValue()));
    }
    return layer;
  }

  /** @return the layer the {@code xfer.*} system properties describe; unknown ones are listed in {@code unknown} */
  JsonObject fromProperties(Map<String, String> properties, List<String> unknown) {
    JsonObject layer = new JsonObject();
    for (Map.Entry<String, String> e : new TreeMap<>(properties).entrySet()) {
      if (!e.getKey().startsWith(PROPERTY_PREFIX)) {
        continue;
      }
      String path = e.getKey().substring(PROPERTY_PREFIX.length());
      if (!pathToDefault.containsKey(path)) {
        unknown.add(e.getKey());
        continue;
      }
      put(layer, path, typed(e.getKey(), path, e.getValue()));
    }
    return layer;
  }

  /** Text becomes the type of the default at {@code path}; objects and lists are written as JSON. */
  Object typed(String source, String path, String text) {
    Object def = pathToDefault.get(path);
    String t = text.trim();
    if (def instanceof Integer || def instanceof Long) {
      if (t.matches("-?\\d{1,18}")) {
        return Long.parseLong(t) == (int) Long.parseLong(t) ? (Object) Integer.parseInt(t) : (Object) Long.parseLong(t);
      }
      return t; // validation names the key and the bad value
    }
    if (def instanceof Boolean) {
      return "true".equalsIgnoreCase(t) ? Boolean.TRUE : "false".equalsIgnoreCase(t) ? Boolean.FALSE : t;
    }
    if (def instanceof JsonObject || def instanceof JsonArray || def == null) {
      if (t.startsWith("{") || t.startsWith("[")) {
        try {
          return Json.decodeValue(t);
        } catch (DecodeException e) {
          throw new ConfigException(path, "the value of " + source + " is not valid JSON");
        }
      }
      if ("null".equals(t) || t.isEmpty()) {
        return null;
      }
      if (def instanceof JsonObject && t.contains("=")) {
        return pairs(path, source, t);
      }
      if (def instanceof JsonArray) {
        List<Object> items = new ArrayList<>();
        for (String s : t.split(",")) {
          if (!s.isBlank()) {
            items.add(s.trim());
          }
        }
        return new JsonArray(items);
      }
    }
    return text;
  }

  /** {@code name=value,name2=value2}, the short form of an object such as {@code roots}. */
  static JsonObject pairs(String path, String source, String text) {
    JsonObject out = new JsonObject();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(path, "the value of " + source + " must be name=value pairs separated by ','");
      }
      out.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return out;
  }

  static void put(JsonObject root, String path, Object value) {
    String[] segments = path.split("\\.");
    JsonObject current = root;
    for (int i = 0; i < segments.length - 1; i++) {
      JsonObject next = current.getJsonObject(segments[i]);
      if (next == null) {
        next = new JsonObject();
        current.put(segments[i], next);
      }
      current = next;
    }
    current.put(segments[segments.length - 1], value);
  }
}
