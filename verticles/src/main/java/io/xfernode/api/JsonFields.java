package io.xfernode.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validating reads of one JSON object received from a user. Unknown keys are refused, and every
 * failure is a 400 {@link XferException} whose message starts with the full field path
 * ({@code sink.overwrite: must be true or false, got "yes"}).
 */
public final class JsonFields {

  private final String path;
  private final JsonObject json;

  private JsonFields(String path, JsonObject json) {
    this.path = path;
    this.json = json;
  }

  /**
   * @param path  the path of {@code json} itself, e.g. {@code source}; empty at the top level
   * @param json  the object to read
   * @param known every key the object may carry; any other is refused
   */
  public static JsonFields of(String path, JsonObject json, Set<String> known) {
    JsonFields fields = new JsonFields(path, json);
    for (String key : json.fieldNames()) {
      if (!known.contains(key)) {
        throw XferException.badRequest(fields.field(key),
          "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
    return fields;
  }

  public static Set<String> keys(String... keys) {
    return Set.copyOf(Arrays.asList(keys));
  }

  /** @return the full path of {@code key}, for messages */
  public String field(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public String path() {
    return path;
  }

  public JsonObject json() {
    return json;
  }

  public boolean has(String key) {
    return json.getValue(key) != null;
  }

  public String string(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      throw XferException.badRequest(field(key), "is required");
    }
    if (!(v instanceof String) || ((String) v).isEmpty()) {
      throw XferException.badRequest(field(key), "must be a non-empty string, got " + describe(v));
    }
    return (String) v;
  }

  public String string(String key, String fallback) {
    return has(key) ? string(key) : fallback;
  }

  /** A string that must be one of {@code allowed} (compared ignoring case); returns the allowed spelling. */
  public String choice(String key, String fallback, String... allowed) {
    if (!has(key)) {
      return fallback;
    }
    String s = string(key);
    for (String a : allowed) {
      if (a.equalsIgnoreCase(s)) {
        return a;
      }
    }
    throw XferException.badRequest(field(key), "must be one of " + String.join(", ", allowed) + ", got " + describe(s));
  }

  public long number(String key, long fallback, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)) {
      if (v instanceof Number && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())
        && Math.abs(((Number) v).doubleValue()) < 9.0e15) {
        v = ((Number) v).longValue();
      } else {
        throw XferException.badRequest(field(key), "must be an integer from " + min + " to " + max + ", got " + describe(v));
      }
    }
    long n = ((Number) v).longValue();
    if (n < min || n > max) {
      throw XferException.badRequest(field(key), "must be an integer from " + min + " to " + max + ", got " + n);
    }
    return n;
  }

  public int integer(String key, int fallback, int min, int max) {
    return (int) number(key, fallback, min, max);
  }

  public boolean bool(String key, boolean fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Boolean)) {
      throw XferException.badRequest(field(key), "must be true or false, got " + describe(v));
    }
    return (Boolean) v;
  }

  /** An ISO-8601 duration ({@code PT1H}) or a number of milliseconds. */
  public Duration duration(String key, Duration fallback) {
    Object v = json.getValue(key);
    if (v == null) {
      return fallback;
    }
    Duration d;
    if (v instanceof Number) {
      d = Duration.ofMillis(number(key, 0, 0, Long.MAX_VALUE / 1_000_000));
    } else if (v instanceof String) {
      try {
        d = Duration.parse((String) v);
      } catch (DateTimeParseException e) {
        throw XferException.badRequest(field(key), "must be an ISO-8601 duration such as PT30S, got " + describe(v));
      }
    } else {
      throw XferException.badRequest(field(key), "must be an ISO-8601 duration such as PT30S, got " + describe(v));
    }
    if (d.isNegative()) {
      throw XferException.badRequest(field(key), "must not be negative, got " + describe(v));
    }
    return d;
  }

  public JsonObject object(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject)) {
      throw XferException.badRequest(field(key), "must be an object, got " + describe(v));
    }
    return (JsonObject) v;
  }

  public JsonArray array(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray)) {
      throw XferException.badRequest(field(key), "must be a list, got " + describe(v));
    }
    return (JsonArray) v;
  }

  public List<String> strings(String key, int maxItems) {
    JsonArray array = array(key);
    if (array == null) {
      return Collections.emptyList();
    }
    if (array.size() > maxItems) {
      throw XferException.badRequest(field(key), "must have at most " + maxItems + " items, got " + array.size());
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      if (!(v instanceof String)) {
        throw XferException.badRequest(field(key) + "[" + i + "]", "must be a string, got " + describe(v));
      }
      out.add((String) v);
    }
    return out;
  }

  /** A short, safe rendering of a user's value for an error message. */
  public static String describe(Object v) {
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String) {
      String s = (String) v;
      s = s.length() > 80 ? s.substring(0, 80) + "…" : s;
      return "\"" + s.replaceAll("\\p{Cntrl}", "?") + "\"";
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
