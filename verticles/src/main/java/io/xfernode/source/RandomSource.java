package io.xfernode.source;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Buffers;

import java.util.List;

/** {@code random}: {@code length} seeded pseudo-random bytes; the same seed always gives the same bytes. */
public final class RandomSource extends BaseElementType<RandomSource.Options> {

  public RandomSource() {
    super("random", Role.SOURCE, "seed", "length");
  }

  /** @param seed the stream's seed; @param length its size in bytes */
  public record Options(long seed, long length) {
  }

  @Override
  public Options parse(JsonFields f) {
    if (!f.has("length")) {
      throw io.xfernode.api.XferException.badRequest(f.field("length"), "is required");
    }
    return new Options(f.number("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE), f.number("length", 0, 0, Long.MAX_VALUE));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0), MechPair.source(Mechanism.PULL, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return o.length() + " random bytes of seed " + o.seed();
  }

  @Override
  public Element create(Options o) {
    return new GeneratedSource(o.length()) {
      @Override
      protected Buffer chunk(long offset, int size) {
        byte[] bytes = new byte[size];
        RandomBytes.fill(o.seed(), offset, bytes, 0, size);
        return Buffers.wrap(bytes, size);
      }
    };
  }
}
