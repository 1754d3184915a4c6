package io.xfernode.link;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.test.TestVertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PUSH link under load: producer and consumer on different event loops or threads, a small bound so
 * that the producer waits all the time. A lost wake-up shows up as a hang, which the timeout turns into a
 * failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class RingTest {

  static final int BUFFERS = 20_000;

  private Vertx vertx;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx(TestVertx.options());
  }

  @AfterAll
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Buffers of 1 to 4096 bytes, the same for the same seed; returns their CRC32C. */
  static List<Buffer> buffers(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Buffer> out = new ArrayList<>();
    for (int i = 0; i < BUFFERS; i++) {
      byte[] b = new byte[1 + r.nextInt(4096)];
      r.nextBytes(b);
      out.add(Buffer.buffer(b));
    }
    return out;
  }

  static long crc(List<Buffer> buffers) {
    CRC32C c = new CRC32C();
    buffers.forEach(b -> c.update(b.getBytes()));
    return c.getValue();
  }

  private static void produce(WriteStream<Buffer> out, List<Buffer> in, int[] next, Context ctx) {
    while (next[0] < in.size()) {
      if (out.writeQueueFull()) {
        out.drainHandler(v -> produce(out, in, next, ctx));
        return;
      }
      out.write(in.get(next[0]++));
      if (next[0] % 64 == 0) {
        ctx.runOnContext(v -> produce(out, in, next, ctx));
        return;
      }
    }
    out.end();
  }

  private static CompletableFuture<Long> consume(ReadStream<Buffer> in) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    CRC32C c = new CRC32C();
    in.exceptionHandler(done::completeExceptionally);
    in.endHandler(v -> done.complete(c.getValue()));
    in.handler(b -> c.update(b.getBytes()));
    return done;
  }

  @RepeatedTest(5)
  void event_loop_producer_and_consumer_on_different_loops_lose_nothing() throws Exception {
    List<Buffer> data = buffers(1);
    Ring ring = new Ring(64 * 1024);
    Context producer = vertx.getOrCreateContext();
    Context consumer = ((io.vertx.core.internal.VertxInternal) vertx).createEventLoopContext();
    CompletableFuture<Long> got = new CompletableFuture<>();
    consumer.runOnContext(v -> consume(ring.reader(consumer)).whenComplete((crc, t) -> {
      if (t != null) {
        got.completeExceptionally(t);
      } else {
        got.complete(crc);
      }
    }));
    producer.runOnContext(v -> produce(ring.writer(producer), data, new int[1], producer));
    assertThat(got.get(20, TimeUnit.SECONDS)).isEqualTo(crc(data));
    assertThat(ring.bufferedBytes()).isZero();
  }

  @Test
  void a_blocking_producer_feeds_an_event_loop_consumer() throws Exception {
    List<Buffer> data = buffers(2);
    Ring ring = new Ring(32 * 1024);
    Context consumer = vertx.getOrCreateContext();
    CompletableFuture<CompletableFuture<Long>> started = new CompletableFuture<>();
    consumer.runOnContext(v -> started.complete(consume(ring.reader(consumer))));
    CompletableFuture<Long> got = started.get(5, TimeUnit.SECONDS);
    for (Buffer b : data) {
      ring.put(b);
    }
    ring.end();
    assertThat(got.get(20, TimeUnit.SECONDS)).isEqualTo(crc(data));
  }

  @Test
  void an_event_loop_producer_feeds_a_blocking_consumer() throws Exception {
    List<Buffer> data = buffers(3);
    Ring ring = new Ring(32 * 1024);
    Context producer = vertx.getOrCreateContext();
    producer.runOnContext(v -> produce(ring.writer(producer), data, new int[1], producer));
    CRC32C c = new CRC32C();
    Buffer b;
    while ((b = ring.take()) != null) {
      c.update(b.getBytes());
    }
    assertThat(c.getValue()).isEqualTo(crc(data));
  }

  @Test
  void failing_the_ring_wakes_a_blocked_producer_and_consumer() throws Exception {
    Ring full = new Ring(10);
    full.put(Buffer.buffer(new byte[10]));
    Ring empty = new Ring(10);
    CompletableFuture<Throwable> producer = new CompletableFuture<>();
    CompletableFuture<Throwable> consumer = new CompletableFuture<>();
    Thread p = new Thread(() -> {
      try {
        full.put(Buffer.buffer(new byte[1]));
        producer.complete(null);
      } catch (Throwable t) {
        producer.complete(t);
      }
    });
    Thread q = new Thread(() -> {
      try {
        empty.take();
        consumer.complete(null);
      } catch (Throwable t) {
        consumer.complete(t);
      }
    });
    p.start();
    q.start();
    full.fail(new RuntimeException("cancelled by test"));
    empty.fail(new RuntimeException("cancelled by test"));
    assertThat(producer.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(consumer.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    assertThat(full.bufferedBytes()).as("a failed ring drops what it held").isZero();
    assertThatThrownBy(full::take).isInstanceOf(InterruptedException.class);
  }

  @Test
  void a_paused_reader_gets_exactly_what_it_fetches() throws Exception {
    Ring ring = new Ring(1 << 20);
    for (int i = 0; i < 10; i++) {
      ring.put(Buffer.buffer("b" + i));
    }
    Context ctx = vertx.getOrCreateContext();
    List<String> got = new ArrayList<>();
    CompletableFuture<Void> three = new CompletableFuture<>();
    ctx.runOnContext(v -> {
      ReadStream<Buffer> r = ring.reader(ctx);
      r.pause();
      r.handler(b -> {
        got.add(b.toString());
        if (got.size() == 3) {
          ctx.runOnContext(x -> three.complete(null));
        }
      });
      r.fetch(3);
    });
    three.get(5, TimeUnit.SECONDS);
    CompletableFuture<Integer> size = new CompletableFuture<>();
    ctx.runOnContext(v -> size.complete(got.size()));
    assertThat(size.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(got).containsExactly("b0", "b1", "b2");
    assertThat(ring.bufferedBytes()).isEqualTo(7 * 2);
  }
}
