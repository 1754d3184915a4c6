package io.xfernode.pool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.streams.WriteStream;
import io.xfernode.pool.wire.DataPiece;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A receiver's in-order output: pieces that arrive out of order leave in order, byte for byte, each in
 * buffers no larger than {@link OrderedOutput#CHUNK} (a socket read of a megabyte is never copied into one
 * humongous array), on the context of the connection that brought the first piece, and every byte is given
 * back as credit once it left.
 */
class OrderedOutputTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  /** Keeps what is written, on the output's context. */
  private static final class Collected implements WriteStream<Buffer> {
    final List<Buffer> buffers = new ArrayList<>();
    final List<Context> contexts = new ArrayList<>();

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      buffers.add(data);
      contexts.add(Vertx.currentContext());
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      return this;
    }
  }

  /** Pieces from a connection on {@code context}, whose consumed bytes add up in {@code consumed}. */
  private static Receiver.Origin origin(Context context, AtomicLong consumed) {
    return new Receiver.Origin() {
      @Override
      public Context context() {
        return context;
      }

      @Override
      public void consumed(long n) {
        consumed.addAndGet(n);
      }
    };
  }

  private static DataPiece piece(byte[] data, int from, int to) {
    ByteBuf b = Unpooled.directBuffer(to - from);
    b.writeBytes(data, from, to - from);
    return new DataPiece(1, from, b);
  }

  @Test
  void large_pieces_out_of_order_leave_in_order_in_small_buffers_with_their_checksum() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 12345];
    new Random(7).nextBytes(data);
    Collected out = new Collected();
    Context downstream = ((VertxInternal) vertx).createEventLoopContext();
    Context connection = ((VertxInternal) vertx).createEventLoopContext();
    Context other = ((VertxInternal) vertx).createEventLoopContext();
    OrderedOutput output = new OrderedOutput(downstream, out, "sha256");
    AtomicLong consumed = new AtomicLong();
    output.begin(data.length, "test");
    int mib = 1024 * 1024;
    List<DataPiece> pieces = List.of(piece(data, 2 * mib, data.length), piece(data, mib, 2 * mib),
      piece(data, 0, mib));
    // the first piece comes from one connection, the others from another: everything runs on the first's;
    // the end comes after every piece, from a connection too, as the receiver says it
    Promise<String> finished = Promise.promise();
    connection.runOnContext(v -> {
      output.write(origin(connection, consumed), pieces.get(0));
      other.runOnContext(x -> {
        output.write(origin(other, consumed), pieces.get(1));
        output.write(origin(other, consumed), pieces.get(2));
        output.finish(data.length, "sha256").onComplete(finished);
      });
    });

    String checksum = finished.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(checksum).isEqualTo("sha256:" + HexFormat.of().formatHex(
      MessageDigest.getInstance("SHA-256").digest(data)));
    assertThat(consumed.get()).isEqualTo(data.length);
    assertThat(output.delivered()).isEqualTo(data.length);
    assertThat(out.buffers).allSatisfy(b -> assertThat(b.length()).isBetween(1, OrderedOutput.CHUNK));
    assertThat(out.contexts).as("where the bytes left").containsOnly(connection);
    Buffer all = Buffer.buffer(data.length);
    out.buffers.forEach(all::appendBuffer);
    assertThat(all.getBytes()).isEqualTo(data);
    assertThat(pieces).allSatisfy(p -> assertThat(p.bytes().refCnt()).as("released").isZero());
  }

  @Test
  void a_failed_output_releases_what_it_held_and_fails_its_finish() throws Exception {
    byte[] data = new byte[200_000];
    Collected out = new Collected();
    OrderedOutput output = new OrderedOutput(vertx.getOrCreateContext(), out, null);
    DataPiece late = piece(data, 100_000, 200_000);
    output.write(origin(vertx.getOrCreateContext(), new AtomicLong()), late);
    Future<String> finish = output.finish(data.length, null);
    output.fail(new IllegalStateException("the connection broke"));

    AsyncResult<String> result = finish.toCompletionStage().handle((v, t) -> t == null
      ? Future.succeededFuture(v) : Future.<String>failedFuture(t)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(result.failed()).isTrue();
    assertThat(late.bytes().refCnt()).isZero();
    assertThat(out.buffers).isEmpty();
  }
}
