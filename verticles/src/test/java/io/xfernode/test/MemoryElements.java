package io.xfernode.test;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Buffers;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test-only elements that keep bytes in memory, so that a test can feed a transfer exact bytes and see
 * every byte it delivered: a {@code memory} source that sends {@link #put} bytes in buffers of
 * {@code chunk} bytes (over PULL), and a {@code memory} sink that keeps what it receives (over PUSH).
 * Both find their bytes by {@code key} in this instance, never in static state.
 */
public final class MemoryElements {

  private final Map<String, byte[]> inputs = new ConcurrentHashMap<>();
  private final Map<String, ByteArrayOutputStream> outputs = new ConcurrentHashMap<>();

  /** @return the standard element types plus the two {@code memory} ones */
  public ElementRegistry registry() {
    return ElementRegistry.load().with(new Source()).with(new Sink());
  }

  /** Makes {@code bytes} what a {@code memory} source with this {@code key} sends. */
  public void put(String key, byte[] bytes) {
    inputs.put(key, bytes);
  }

  /** @return what the {@code memory} sink with this {@code key} received */
  public byte[] get(String key) {
    ByteArrayOutputStream out = outputs.get(key);
    if (out == null) {
      throw new AssertionError("no memory sink " + key + " received anything");
    }
    synchronized (out) {
      return out.toByteArray();
    }
  }

  private record SourceOptions(String key, int chunk) {
  }

  private final class Source implements ElementType<SourceOptions> {
    @Override
    public String type() {
      return "memory";
    }

    @Override
    public Role role() {
      return Role.SOURCE;
    }

    @Override
    public Set<String> optionKeys() {
      return Set.of("key", "chunk");
    }

    @Override
    public SourceOptions parse(JsonFields f) {
      return new SourceOptions(f.string("key"), f.integer("chunk", 65536, 1, 1 << 24));
    }

    @Override
    public List<MechPair> pairs(SourceOptions o) {
      return List.of(MechPair.source(Mechanism.PULL, 1, 0));
    }

    @Override
    public Element create(SourceOptions o) {
      return new Element() {
        private final Promise<Void> done = Promise.promise();
        private int at;

        @Override
        public Future<Void> setup(ElementContext ctx) {
          byte[] bytes = inputs.get(o.key());
          ctx.offerPuller(() -> {
            if (at >= bytes.length) {
              done.tryComplete();
              return null;
            }
            int n = Math.min(o.chunk(), bytes.length - at);
            Buffer b = Buffers.wrap(Arrays.copyOfRange(bytes, at, at + n), n);
            at += n;
            ctx.progress(n);
            return b;
          });
          return Future.succeededFuture();
        }

        @Override
        public Future<Void> start(ElementContext ctx) {
          return ctx.onContext(done.future());
        }

        @Override
        public void cancel(ElementContext ctx, Throwable reason) {
          done.tryFail(reason);
        }
      };
    }
  }

  private final class Sink implements ElementType<String> {
    @Override
    public String type() {
      return "memory";
    }

    @Override
    public Role role() {
      return Role.SINK;
    }

    @Override
    public Set<String> optionKeys() {
      return Set.of("key");
    }

    @Override
    public String parse(JsonFields f) {
      return f.string("key");
    }

    @Override
    public List<MechPair> pairs(String key) {
      return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
    }

    @Override
    public Element create(String key) {
      return new Element() {
        @Override
        public Future<Void> start(ElementContext ctx) {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          outputs.put(key, out);
          Promise<Void> done = Promise.promise();
          ReadStream<Buffer> in = ctx.inputStream();
          in.exceptionHandler(done::tryFail);
          in.endHandler(v -> done.tryComplete());
          in.handler(b -> {
            synchronized (out) {
              out.writeBytes(b.getBytes());
            }
            ctx.progress(b.length());
          });
          return done.future();
        }
      };
    }
  }
}
