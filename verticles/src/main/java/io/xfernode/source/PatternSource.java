package io.xfernode.source;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Buffers;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code pattern}: {@code length} bytes of a pattern (its UTF-8 bytes) repeated, cut at {@code length}. */
public final class PatternSource extends BaseElementType<PatternSource.Options> {

  public PatternSource() {
    super("pattern", Role.SOURCE, "pattern", "length");
  }

  public static final String DEFAULT_PATTERN = "xfernode\n";
  /** The longest pattern, in UTF-8 bytes. */
  public static final int MAX_PATTERN_BYTES = 4096;

  /** @param pattern the repeated text; @param length the stream's size in bytes */
  public record Options(String pattern, long length) {
  }

  @Override
  public Options parse(JsonFields f) {
    if (!f.has("length")) {
      throw XferException.badRequest(f.field("length"), "is required");
    }
    String pattern = f.string("pattern", DEFAULT_PATTERN);
    int size = pattern.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_PATTERN_BYTES) {
      throw XferException.badRequest(f.field("pattern"), "must be at most " + MAX_PATTERN_BYTES
        + " bytes in UTF-8, got " + size);
    }
    return new Options(pattern, f.number("length", 0, 0, Long.MAX_VALUE));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0), MechPair.source(Mechanism.PULL, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return o.length() + " bytes of a " + o.pattern().getBytes(StandardCharsets.UTF_8).length + "-byte pattern";
  }

  @Override
  public Element create(Options o) {
    byte[] pattern = o.pattern().getBytes(StandardCharsets.UTF_8);
    return new GeneratedSource(o.length()) {
      @Override
      protected Buffer chunk(long offset, int size) {
        byte[] bytes = new byte[size];
        fill(pattern, offset, bytes);
        return Buffers.wrap(bytes, size);
      }
    };
  }

  /** Fills {@code out} with the repeated pattern's bytes from stream offset {@code offset}. */
  static void fill(byte[] pattern, long offset, byte[] out) {
    int phase = (int) (offset % pattern.length);
    int first = Math.min(out.length, pattern.length - phase);
    System.arraycopy(pattern, phase, out, 0, first);
    if (first == out.length) {
      return;
    }
    // from index first on, the bytes repeat with the pattern's period: double the filled run each time
    int filled = first + Math.min(pattern.length, out.length - first);
    System.arraycopy(pattern, 0, out, first, filled - first);
    while (filled < out.length) {
      int n = Math.min(filled - first, out.length - filled);
      System.arraycopy(out, first, out, filled, n);
      filled += n;
    }
  }
}
