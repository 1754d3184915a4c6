package io.xfernode.sink;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.filter.Digests;
import io.xfernode.link.ChannelOffer;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Test-only sink {@code mech}: takes its input through exactly one mechanism (PUSH, PULL or CHANNEL into a
 * temporary file) and reports the SHA-256 and length of what it got.
 */
public final class MechSink implements ElementType<Mechanism> {

  @Override
  public String type() {
    return "mech";
  }

  @Override
  public Role role() {
    return Role.SINK;
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of("mechanism");
  }

  @Override
  public Mechanism parse(JsonFields f) {
    return Mechanism.valueOf(f.string("mechanism"));
  }

  @Override
  public List<MechPair> pairs(Mechanism m) {
    return List.of(MechPair.sink(m, 0, 0));
  }

  @Override
  public Element create(Mechanism m) {
    Digests.Digest digest = Digests.create("sha256");
    long[] length = new long[1];
    if (m != Mechanism.CHANNEL) {
      return new ConsumingSink() {
        @Override
        protected void consume(Buffer buffer) {
          digest.update(buffer);
          length[0] += buffer.length();
        }

        @Override
        public JsonObject result() {
          return new JsonObject().put("checksum", Digests.json("sha256", digest.hex())).put("length", length[0]);
        }
      };
    }
    return new Element() {
      private Path file;
      private FileChannel channel;

      @Override
      public Future<Void> setup(ElementContext ctx) {
        return ctx.blocking("open", () -> {
          file = Files.createTempFile("mech-sink", ".bin");
          channel = FileChannel.open(file, StandardOpenOption.WRITE);
          ctx.offerWritable(ChannelOffer.of(channel));
          return null;
        });
      }

      @Override
      public Future<Void> start(ElementContext ctx) {
        return ctx.channelDone().compose(n -> ctx.blocking("digest", () -> {
          channel.close();
          try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bb = ByteBuffer.allocate(1 << 20);
            while (in.read(bb) > 0) {
              bb.flip();
              length[0] += bb.remaining();
              digest.update(bb);
              bb.clear();
            }
          }
          return null;
        }));
      }

      @Override
      public JsonObject result() {
        return new JsonObject().put("checksum", Digests.json("sha256", digest.hex())).put("length", length[0]);
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
