package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Buffers;
import io.xfernode.link.ChannelOffer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Test-only source {@code mech}: seeded random bytes ({@link RandomBytes}) offered through exactly one
 * mechanism, PUSH, PULL or CHANNEL (a temporary file), so that tests can drive every glue.
 */
public final class MechSource implements ElementType<MechSource.Options> {

  public record Options(Mechanism mechanism, long seed, long length) {
  }

  @Override
  public String type() {
    return "mech";
  }

  @Override
  public Role role() {
    return Role.SOURCE;
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of("mechanism", "seed", "length");
  }

  @Override
  public Options parse(JsonFields f) {
    return new Options(Mechanism.valueOf(f.string("mechanism")), f.number("seed", 0, Long.MIN_VALUE, Long.MAX_VALUE),
      f.number("length", 0, 0, Long.MAX_VALUE));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.source(o.mechanism(), 0, 0));
  }

  @Override
  public Element create(Options o) {
    if (o.mechanism() != Mechanism.CHANNEL) {
      return new GeneratedSource(o.length()) {
        @Override
        protected Buffer chunk(long offset, int size) {
          byte[] bytes = new byte[size];
          RandomBytes.fill(o.seed(), offset, bytes, 0, size);
          return Buffers.wrap(bytes, size);
        }
      };
    }
    return new Element() {
      private Path file;
      private FileChannel channel;

      @Override
      public Future<Void> setup(ElementContext ctx) {
        return ctx.blocking("write", () -> {
          file = Files.createTempFile("mech-source", ".bin");
          try (FileChannel out = FileChannel.open(file, StandardOpenOption.WRITE)) {
            byte[] chunk = new byte[1 << 20];
            for (long off = 0; off < o.length(); off += chunk.length) {
              int n = (int) Math.min(chunk.length, o.length() - off);
              RandomBytes.fill(o.seed(), off, chunk, 0, n);
              ByteBuffer bb = ByteBuffer.wrap(chunk, 0, n);
              while (bb.hasRemaining()) {
                out.write(bb);
              }
            }
          }
          channel = FileChannel.open(file, StandardOpenOption.READ);
          ctx.offerReadable(new ChannelOffer(channel, 0, o.length()));
          return null;
        });
      }

      @Override
      public Future<Void> start(ElementContext ctx) {
        return ctx.channelDone().mapEmpty();
      }

      @Override
      public Future<Void> release(ElementContext ctx) {
        return ctx.blocking("delete", () -> {
          if (channel != null) {
            channel.close();
          }
          if (file != null) {
            Files.deleteIfExists(file);
          }
          return null;
        });
      }
    };
  }
}
