package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns {@code cp}'s arguments into a transfer spec (SPEC 2.2). An argument with a scheme is an element URI
 * ({@code file://a/data/in.bin}, {@code random:?length=1048576}, {@code null:}) and goes to the node as it
 * is, which parses and checks it; anything else is a path of the connected node's roots
 * ({@code data/in.bin}). The node, not the client, judges every value, and names the field it refuses.
 */
final class CopySpec {

  /** A URI scheme as the node reads it: the element type, then a colon. */
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+-]*:.*", Pattern.DOTALL);

  private CopySpec() {
  }

  /** What {@code cp} was asked, apart from where. */
  record Flags(String id, String checksum, Integer streams, Long rateLimit, boolean resume, boolean recursive,
                boolean overwrite) {
  }

  static JsonObject build(String source, String sink, Flags flags) {
    JsonObject spec = new JsonObject();
    if (flags.id() != null) {
      spec.put("id", flags.id());
    }
    spec.put("source", element(source, flags.recursive() ? "recursive" : null));
    spec.put("sink", element(sink, flags.overwrite() ? "overwrite" : null));
    JsonObject options = new JsonObject();
    if (flags.checksum() != null) {
      options.put("checksum", flags.checksum());
    }
    if (flags.streams() != null) {
      options.put("streams", flags.streams());
    }
    if (flags.rateLimit() != null) {
      options.put("rateLimit", flags.rateLimit());
    }
    if (flags.resume()) {
      options.put("resume", true);
    }
    if (!options.isEmpty()) {
      spec.put("options", options);
    }
    return spec;
  }

  /**
   * One end of the copy.
   *
   * @param flag an option to set to true on it ({@code recursive}, {@code overwrite}), or null
   * @return the URI text as given (with {@code flag} added to its query), or a {@code file} element
   */
  static Object element(String arg, String flag) {
    if (isUri(arg)) {
      if (flag == null) {
        return arg;
      }
      int hash = arg.indexOf('#');
      String base = hash < 0 ? arg : arg.substring(0, hash);
      String separator = base.indexOf('?') < 0 ? "?" : base.endsWith("?") || base.endsWith("&") ? "" : "&";
      return base + separator + URLEncoder.encode(flag, StandardCharsets.UTF_8) + "=true"
        + (hash < 0 ? "" : arg.substring(hash));
    }
    JsonObject file = new JsonObject().put("type", "file").put("path", arg);
    if (flag != null) {
      file.put(flag, true);
    }
    return file;
  }

  /** Whether {@code arg} starts with a scheme, as {@code file://a/x} and {@code null:} do. */
  static boolean isUri(String arg) {
    return SCHEME.matcher(arg).matches();
  }
}
