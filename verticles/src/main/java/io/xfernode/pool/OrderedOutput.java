package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.xfernode.filter.Digests;
import io.xfernode.pool.wire.DataPiece;

import java.util.TreeMap;

/**
 * A receiver's output into a stream that needs its bytes in order (PUSH): pieces from every stream come
 * to the downstream's context, wait there until the bytes before them have arrived, and go on in order,
 * each copied once into buffers of their own (the socket's buffer goes back to its pool at once). Credit
 * goes back as bytes leave, so what waits here is bounded by the window.
 *
 * <p>A piece may be as large as one socket read (up to {@link PoolConnection#READ_MAX}); it is copied in
 * chunks of at most {@link #CHUNK}, so that no copy is a humongous object for G1 (half a region, and a
 * region is 1 MiB in a small heap): with 1 MiB copies, a node with {@code -Xmx256m} spent its time in
 * collections caused by humongous allocations, some of them full ones.
 */
public final class OrderedOutput implements Receiver.Output {

  /** The largest buffer a piece is copied into. */
  static final int CHUNK = 128 * 1024;

  private record Held(Receiver.Origin from, DataPiece piece) {
  }

  private final Context context;
  private final WriteStream<Buffer> out;
  private final Digests.Digest digest;
  private final String algorithm;
  private final TreeMap<Long, Held> early = new TreeMap<>();
  private long next;
  private long total = -1;
  private Promise<String> finished;
  private boolean failed;

  /**
   * @param context   the downstream's context, where everything here runs
   * @param algorithm the checksum the sender computes, to verify what leaves here, or null
   */
  public OrderedOutput(Context context, WriteStream<Buffer> out, String algorithm) {
    this.context = context;
    this.out = out;
    this.algorithm = algorithm;
    this.digest = algorithm == null ? null : Digests.create(algorithm);
  }

  @Override
  public RangeSet begin(long total, String source) {
    return new RangeSet();
  }

  @Override
  public void write(Receiver.Origin from, DataPiece piece) {
    context.runOnContext(v -> {
      if (failed) {
        piece.bytes().release();
        return;
      }
      early.put(piece.offset(), new Held(from, piece));
      deliver();
    });
  }

  private void deliver() {
    while (!failed && !early.isEmpty() && early.firstKey() == next) {
      if (out.writeQueueFull()) {
        out.drainHandler(v -> deliver());
        return;
      }
      Held h = early.pollFirstEntry().getValue();
      ByteBuf bytes = h.piece().bytes();
      int n = bytes.readableBytes();
      while (bytes.isReadable()) {
        byte[] copy = new byte[Math.min(CHUNK, bytes.readableBytes())];
        bytes.readBytes(copy);
        Buffer b = Buffer.buffer(copy);
        if (digest != null) {
          digest.update(b);
        }
        out.write(b);
      }
      bytes.release();
      next += n;
      h.from().consumed(n);
    }
    if (finished != null && next == total) {
      Promise<String> p = finished;
      finished = null;
      p.complete(digest == null ? null : algorithm + ":" + digest.hex());
    }
  }

  @Override
  public Future<String> finish(long total, String algorithm) {
    Promise<String> p = Promise.promise();
    context.runOnContext(v -> {
      this.total = total;
      if (algorithm != null && !algorithm.equals(this.algorithm)) {
        p.fail("the sender's checksum is " + algorithm + ", this side computes " + this.algorithm);
        return;
      }
      finished = p;
      deliver();
    });
    return p.future();
  }

  @Override
  public void fail(Throwable cause) {
    context.runOnContext(v -> {
      failed = true;
      early.values().forEach(h -> h.piece().bytes().release());
      early.clear();
      if (finished != null) {
        finished.tryFail(cause);
      }
    });
  }

  /** The bytes that left in order so far. */
  public long delivered() {
    return next;
  }
}
