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
 * A receiver's output into a stream that needs its bytes in order (PUSH). Everything here runs on one
 * context, its home: the context of the pool connection that brought the first piece. A transfer's single
 * stream (the default) therefore never leaves its connection's event loop here: a piece is ordered, copied
 * and handed to the downstream link (a {@link io.xfernode.link.Ring}, which another context reads), and its
 * credit goes back, all in the read that brought it. Pieces from other connections (more streams, or a
 * stream that moved after its connection broke) hop to the home context and wait there until the bytes
 * before them have arrived. Each piece is copied once, into buffers of its own, so the socket's buffer goes
 * back to its pool at once. Credit goes back as bytes leave, so what waits here is bounded by the window.
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

  /** Where everything runs when no piece came yet (the downstream's context). */
  private final Context fallback;
  private final WriteStream<Buffer> out;
  private final Digests.Digest digest;
  private final String algorithm;
  private final TreeMap<Long, Held> early = new TreeMap<>();
  private Context home;
  private volatile long next;
  private long total = -1;
  private Promise<String> finished;
  private boolean failed;
  private boolean draining;

  /**
   * @param context   the downstream's context: home until a piece arrives, if none ever does
   * @param out       the downstream; safe to write from any thread, its drain handler may run anywhere
   * @param algorithm the checksum the sender computes, to verify what leaves here, or null
   */
  public OrderedOutput(Context context, WriteStream<Buffer> out, String algorithm) {
    this.fallback = context;
    this.out = out;
    this.algorithm = algorithm;
    this.digest = algorithm == null ? null : Digests.create(algorithm);
  }

  @Override
  public RangeSet begin(long total, String source) {
    return new RangeSet();
  }

  /** The home context: the first one asked for becomes it. */
  private synchronized Context home(Context proposed) {
    if (home == null) {
      home = proposed;
    }
    return home;
  }

  /** Runs {@code action} on the home context: at once when already there. */
  private void atHome(Context proposed, Runnable action) {
    OnContext.run(home(proposed), action);
  }

  @Override
  public void write(Receiver.Origin from, DataPiece piece) {
    atHome(from.context(), () -> {
      if (failed) {
        piece.bytes().release();
        return;
      }
      early.put(piece.offset(), new Held(from, piece));
      deliver();
    });
  }

  private void deliver() {
    while (!failed && !draining && !early.isEmpty() && early.firstKey() == next) {
      if (out.writeQueueFull()) {
        draining = true;
        Context at = home;
        out.drainHandler(v -> at.runOnContext(x -> {
          draining = false;
          deliver();
        }));
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
    atHome(fallback, () -> {
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
    atHome(fallback, () -> {
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
