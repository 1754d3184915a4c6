package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The URI form of an element (SPEC 2.2): {@code file://a/data/in/big.bin} (node {@code a}),
 * {@code file:///data/in/big.bin} (the node that takes the submit), {@code tcp://host:port},
 * {@code http://host/x} and {@code random:?length=1073741824&seed=7}. The scheme is the type; the query
 * gives options, numbers and booleans typed.
 */
final class ElementUri {

  private ElementUri() {
  }

  static JsonObject parse(String field, String text) {
    if (text.matches("[a-z][a-z0-9+-]*:?")) {
      // a bare type, "null" or "null:": no options
      return new JsonObject().put("type", text.endsWith(":") ? text.substring(0, text.length() - 1) : text);
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw XferException.badRequest(field, "not an element URI: " + e.getReason());
    }
    String type = uri.getScheme();
    if (type == null || !type.matches("[a-z][a-z0-9+-]*")) {
      throw XferException.badRequest(field, "an element URI starts with its type, as in file:///data/x.bin");
    }
    JsonObject json = new JsonObject().put("type", type);
    switch (type) {
      case "file" -> {
        if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
          json.put("node", uri.getAuthority());
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        json.put("path", path.startsWith("/") ? path.substring(1) : path);
      }
      case "tcp", "udp" -> {
        if (uri.getHost() == null || uri.getPort() < 0) {
          throw XferException.badRequest(field, type + " URIs are written " + type + "://host:port");
        }
        json.put("host", uri.getHost()).put("port", uri.getPort());
      }
      case "http", "https" -> {
        json.put("type", "http").put("url", text);
        return json;
      }
      default -> {
        // opaque: options come from the query alone
      }
    }
    query(field, uri.getRawQuery() != null ? uri.getRawQuery() : opaqueQuery(uri), json);
    return json;
  }

  private static String opaqueQuery(URI uri) {
    String ssp = uri.getRawSchemeSpecificPart();
    if (ssp == null) {
      return null;
    }
    int q = ssp.indexOf('?');
    return q < 0 ? null : ssp.substring(q + 1);
  }

  private static void query(String field, String query, JsonObject json) {
    if (query == null || query.isEmpty()) {
      return;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "true" : decode(pair.substring(eq + 1));
      if (key.isEmpty() || "type".equals(key)) {
        throw XferException.badRequest(field, "bad query parameter \"" + key + "\"");
      }
      json.put(key, typed(value));
    }
  }

  private static Object typed(String value) {
    if (value.matches("-?\\d{1,18}")) {
      return Long.parseLong(value);
    }
    if ("true".equals(value) || "false".equals(value)) {
      return Boolean.parseBoolean(value);
    }
    return value;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
