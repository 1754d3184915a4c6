package io.xfernode.pool;

import io.vertx.core.buffer.Buffer;
import io.xfernode.link.RangeSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a PUSH input leaves to send once the receiver said what it holds (resume): only the bytes it lacks,
 * whether the buffers came before or after it said so, each at its own offset and with its own bytes.
 */
class PushWorkTest {

  private static Buffer counting(int n) {
    Buffer b = Buffer.buffer(n);
    for (int i = 0; i < n; i++) {
      b.appendByte((byte) i);
    }
    return b;
  }

  private static List<long[]> drain(PushWork work) {
    List<long[]> out = new ArrayList<>();
    Piece p;
    while ((p = work.take(Integer.MAX_VALUE)) != null) {
      // the piece's first byte is the one written at its offset
      assertThat(p.data().getByte(p.data().readerIndex())).as("byte at %s", p.offset()).isEqualTo((byte) p.offset());
      out.add(new long[]{p.offset(), p.end()});
      p.release();
    }
    return out;
  }

  @Test
  void bytes_held_before_they_are_written_are_never_queued() {
    PushWork work = new PushWork(null, 1 << 20, null);
    assertThat(work.skip(RangeSet.of(new long[]{100, 200, 1000, 2000}))).isZero();
    work.write(counting(4096));
    work.end();
    assertThat(drain(work)).containsExactly(new long[]{0, 100}, new long[]{200, 1000}, new long[]{2000, 4096});
    assertThat(work.skipped()).isEqualTo(1100);
    assertThat(work.exhausted()).isTrue();
  }

  @Test
  void bytes_held_that_are_queued_already_are_dropped() {
    PushWork work = new PushWork(null, 1 << 20, null);
    work.write(counting(3000));
    assertThat(work.skip(RangeSet.of(new long[]{0, 10, 500, 2500}))).isEqualTo(2010);
    work.end();
    assertThat(drain(work)).containsExactly(new long[]{10, 500}, new long[]{2500, 3000});
    assertThat(work.skipped()).isEqualTo(2010);
  }

  @Test
  void a_drain_handler_set_after_the_streams_emptied_the_queue_is_still_called() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      PushWork work = new PushWork(vertx.getOrCreateContext(), 1024, null);
      work.write(counting(2048));
      assertThat(work.writeQueueFull()).isTrue();
      // a stream on another event loop takes everything before the upstream sets its drain handler
      assertThat(drain(work)).hasSize(1);
      java.util.concurrent.CompletableFuture<Void> drained = new java.util.concurrent.CompletableFuture<>();
      work.drainHandler(v -> drained.complete(null));
      drained.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } finally {
      vertx.close();
    }
  }
}
