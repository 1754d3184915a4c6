package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stream operations (SPEC 1.4) without sockets: a read's count and its events, the end of a stream before
 * the count, a write complete only once the sink has every byte, abort, and shutdown after pending writes.
 */
class StreamOpsTest {

  private static Buffer bytes(String s) {
    return Buffer.buffer(s);
  }

  /** What a read reported, in order, with the bytes of READ_READY. */
  private static final class Seen implements ReadOp.Listener {
    final List<String> events = new ArrayList<>();

    @Override
    public void on(StreamEvent event, ReadOp op, Buffer data) {
      events.add(event == StreamEvent.READ_READY ? event + ":" + data.toString() : event + "@" + op.progress());
    }
  }

  @Test
  void a_bounded_read_reports_its_bytes_completes_at_its_count_and_hands_back_the_rest() {
    Seen seen = new Seen();
    ReadOp op = new ReadOp(5, seen);
    assertThat(op.data(bytes("abc"))).isNull();
    Buffer rest = op.data(bytes("defgh"));
    assertThat(rest.toString()).as("what lies beyond the count").isEqualTo("fgh");
    assertThat(seen.events).containsExactly("READ_READY:abc", "READ_READY:de", "READ_COMPLETE@5");
    assertThat(op.progress()).isEqualTo(5);
    op.end();
    assertThat(seen.events).as("nothing after the count was reached").hasSize(3);
  }

  @Test
  void a_stream_that_ends_before_the_count_is_eos_and_short() {
    Seen seen = new Seen();
    ReadOp op = new ReadOp(10, seen);
    op.data(bytes("1234"));
    op.end();
    assertThat(seen.events).containsExactly("READ_READY:1234", "EOS@4");
    assertThat(op.endedShort()).isTrue();
  }

  @Test
  void an_unbounded_read_ends_with_eos_and_a_failed_one_with_error() {
    Seen seen = new Seen();
    ReadOp op = new ReadOp(ReadOp.UNBOUNDED, seen);
    op.data(bytes("xy"));
    op.end();
    assertThat(seen.events).containsExactly("READ_READY:xy", "EOS@2");
    assertThat(op.endedShort()).isFalse();

    Seen failed = new Seen();
    ReadOp broken = new ReadOp(ReadOp.UNBOUNDED, failed);
    broken.fail(new IOException("reset"));
    broken.data(bytes("late"));
    assertThat(failed.events).containsExactly("ERROR@0");
    assertThat(broken.error()).hasMessage("reset");
  }

  /** A sink whose writes complete only when the test says so, as a socket's do when the kernel takes them. */
  private static final class ManualSink implements WriteStream<Buffer> {
    final ArrayDeque<Promise<Void>> pending = new ArrayDeque<>();
    final StringBuilder taken = new StringBuilder();
    boolean full;
    Handler<Void> drain;

    @Override
    public Future<Void> write(Buffer data) {
      taken.append(data.toString());
      Promise<Void> p = Promise.promise();
      pending.add(p);
      return p.future();
    }

    void completeOne() {
      pending.poll().complete();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drain = handler;
      return this;
    }
  }

  @Test
  void a_write_completes_only_once_the_sink_has_taken_its_last_byte() {
    ManualSink sink = new ManualSink();
    List<StreamEvent> events = new ArrayList<>();
    WriteOp op = new WriteOp(sink, 6, (e, w) -> events.add(e));
    op.write(bytes("abc"));
    op.write(bytes("def"));
    assertThat(op.progress()).isEqualTo(6);
    assertThat(events).as("queued is not written").isEmpty();
    sink.completeOne();
    assertThat(events).isEmpty();
    sink.completeOne();
    assertThat(events).containsExactly(StreamEvent.WRITE_COMPLETE);
    assertThat(op.completion().succeeded()).isTrue();
  }

  @Test
  void a_write_reports_write_ready_when_the_sink_drains_and_error_when_it_ends_short() {
    ManualSink sink = new ManualSink();
    List<StreamEvent> events = new ArrayList<>();
    WriteOp op = new WriteOp(sink, 10, (e, w) -> events.add(e));
    sink.full = true;
    op.write(bytes("abcd"));
    assertThat(op.writeQueueFull()).isTrue();
    List<String> drained = new ArrayList<>();
    op.drainHandler(v -> drained.add("drained"));
    sink.full = false;
    sink.drain.handle(null);
    assertThat(events).containsExactly(StreamEvent.WRITE_READY);
    assertThat(drained).containsExactly("drained");
    op.end();
    assertThat(events).containsExactly(StreamEvent.WRITE_READY, StreamEvent.ERROR);
    assertThat(op.error()).hasMessageContaining("ended after 4");
  }

  @Test
  void an_unbounded_write_completes_at_its_end_once_everything_was_taken() {
    ManualSink sink = new ManualSink();
    WriteOp op = new WriteOp(sink, ReadOp.UNBOUNDED, null);
    op.write(bytes("a"));
    Future<Void> ended = op.end();
    assertThat(ended.isComplete()).isFalse();
    sink.completeOne();
    assertThat(ended.succeeded()).isTrue();
  }

  /** A wire that records what is done to it. */
  private static final class FakeWire implements Connection.Wire {
    final ManualSink out = new ManualSink();
    final List<String> done = new ArrayList<>();

    @Override
    public ReadStream<Buffer> input() {
      throw new UnsupportedOperationException();
    }

    @Override
    public WriteStream<Buffer> output() {
      return out;
    }

    @Override
    public void shutdownOutput() {
      done.add("shutdown after " + out.taken + " with " + out.pending.size() + " pending");
    }

    @Override
    public void reset() {
      done.add("reset with " + out.pending.size() + " pending");
    }

    @Override
    public Future<Void> close() {
      done.add("close with " + out.pending.size() + " pending");
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> sendFile(FileChannel file, long position, long length) {
      return Future.failedFuture("no files here");
    }

    @Override
    public String describe() {
      return "fake";
    }
  }

  @Test
  void shutdown_and_close_wait_for_every_byte_written_and_abort_does_not() {
    FakeWire wire = new FakeWire();
    Connection c = new Connection(wire);
    WriteOp w = c.write(ReadOp.UNBOUNDED, null);
    w.write(bytes("one"));
    w.write(bytes("two"));
    Future<Void> shut = c.shutdownOutput();
    assertThat(wire.done).as("nothing is shut down under queued writes").isEmpty();
    wire.out.completeOne();
    assertThat(wire.done).isEmpty();
    wire.out.completeOne();
    assertThat(shut.succeeded()).isTrue();
    assertThat(wire.done).containsExactly("shutdown after onetwo with 0 pending");

    FakeWire other = new FakeWire();
    Connection d = new Connection(other);
    d.write(ReadOp.UNBOUNDED, null).write(bytes("lost"));
    Future<Void> closing = d.close();
    d.abort();
    assertThat(other.done).as("an abort does not wait").containsExactly("reset with 1 pending");
    other.out.completeOne();
    assertThat(closing.succeeded()).isTrue();
    assertThat(other.done).as("and nothing is closed cleanly after it").containsExactly("reset with 1 pending");
  }
}
