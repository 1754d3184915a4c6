package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.xfernode.filter.Digests;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A PUSH input's bytes to send, as a {@link WriteStream} on the upstream's context: buffers are queued as
 * pieces (no copy) for whichever stream takes them next. The queue is bounded: past {@code maxQueued}
 * bytes the stream reports itself full, and the upstream waits for the drain. Bytes the receiver holds
 * already (resume) are dropped as they come, and so are the parts of a buffer they hold; every byte
 * still goes into the checksum.
 */
public final class PushWork implements Work, WriteStream<Buffer> {

  /** The largest piece of a buffer sent in one DATA frame. */
  static final int CHUNK = 256 * 1024;

  private final Context context;
  private final long maxQueued;
  private final Digests.Digest digest;
  private final ArrayDeque<Piece> queue = new ArrayDeque<>();
  private final List<Runnable> idle = new ArrayList<>();
  private RangeSet held = new RangeSet();
  private long offset;
  private long queued;
  private long skipped;
  private long total = -1;
  private boolean closed;
  private Handler<Void> drainHandler;

  /** @param algorithm the checksum to compute over every byte, or null */
  PushWork(Context context, long maxQueued, String algorithm) {
    this.context = context;
    this.maxQueued = maxQueued;
    this.digest = algorithm == null ? null : Digests.create(algorithm);
  }

  // ---- the upstream's side, on its context

  @Override
  public Future<Void> write(Buffer data) {
    if (digest != null) {
      digest.update(data);
    }
    ByteBuf bytes = ((BufferInternal) data).getByteBuf();
    long at = offset;
    offset += data.length();
    List<Runnable> wake;
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(new io.xfernode.api.XferException(io.xfernode.api.ErrorCode.UNAVAILABLE,
          "the transfer's pool channels are closed"));
      }
      for (int i = 0; i < data.length(); i += CHUNK) {
        int n = Math.min(CHUNK, data.length() - i);
        long from = at + i;
        if (held.isEmpty()) {
          queue.add(new Piece(from, n, bytes.retainedSlice(bytes.readerIndex() + i, n)));
          queued += n;
          continue;
        }
        long left = n;
        for (long[] gap : held.gaps(from, from + n)) {
          int len = (int) (gap[1] - gap[0]);
          queue.add(new Piece(gap[0], len, bytes.retainedSlice(bytes.readerIndex() + i + (int) (gap[0] - from), len)));
          queued += len;
          left -= len;
        }
        skipped += left;
      }
      wake = takeIdle();
    }
    wake.forEach(Runnable::run);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    List<Runnable> wake;
    synchronized (this) {
      total = offset;
      wake = takeIdle();
    }
    wake.forEach(Runnable::run);
    return Future.succeededFuture();
  }

  private String checksum;

  /** The checksum of every byte written, "algorithm:hex", once ended; "" without one. */
  synchronized String checksum(String algorithm) {
    if (checksum == null) {
      checksum = digest == null ? "" : algorithm + ":" + digest.hex();
    }
    return checksum;
  }

  @Override
  public synchronized boolean writeQueueFull() {
    return queued >= maxQueued;
  }

  @Override
  public PushWork drainHandler(Handler<Void> handler) {
    boolean drained;
    synchronized (this) {
      // the streams take from other threads: they may have emptied the queue between the upstream's write
      // and this call, and then no take would ever call the handler
      drained = handler != null && queued <= maxQueued / 2;
      this.drainHandler = drained ? null : handler;
    }
    if (drained) {
      context.runOnContext(v -> handler.handle(null));
    }
    return this;
  }

  @Override
  public PushWork exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public PushWork setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  // ---- the streams' side, on theirs

  @Override
  public Piece take(int max) {
    Handler<Void> drain = null;
    Piece out;
    synchronized (this) {
      Piece head = queue.poll();
      if (head == null) {
        return null;
      }
      if (head.length() > max) {
        out = head.head(max);
        queue.addFirst(head.tail(max));
      } else {
        out = head;
      }
      queued -= out.length();
      if (drainHandler != null && queued <= maxQueued / 2) {
        drain = drainHandler;
        drainHandler = null;
      }
    }
    if (drain != null) {
      Handler<Void> h = drain;
      context.runOnContext(v -> h.handle(null));
    }
    return out;
  }

  @Override
  public long requeue(Iterable<Piece> pieces, RangeSet held) {
    List<Runnable> wake;
    long bytes = 0;
    synchronized (this) {
      List<Piece> back = new ArrayList<>();
      for (Piece p : pieces) {
        for (long[] gap : held.gaps(p.offset(), p.end())) {
          int from = (int) (gap[0] - p.offset());
          int n = (int) (gap[1] - gap[0]);
          back.add(new Piece(gap[0], n, p.data().retainedSlice(p.data().readerIndex() + from, n)));
        }
        p.release();
      }
      for (int i = back.size() - 1; i >= 0; i--) {
        queue.addFirst(back.get(i));
        queued += back.get(i).length();
        bytes += back.get(i).length();
      }
      wake = takeIdle();
    }
    wake.forEach(Runnable::run);
    return bytes;
  }

  @Override
  public synchronized long skip(RangeSet held) {
    this.held = held;
    long before = skipped;
    List<Piece> kept = new ArrayList<>();
    for (Piece p : queue) {
      for (long[] gap : held.gaps(p.offset(), p.end())) {
        int from = (int) (gap[0] - p.offset());
        int n = (int) (gap[1] - gap[0]);
        kept.add(new Piece(gap[0], n, p.data().retainedSlice(p.data().readerIndex() + from, n)));
      }
      skipped += p.length();
      queued -= p.length();
      p.release();
    }
    queue.clear();
    for (Piece p : kept) {
      queue.add(p);
      skipped -= p.length();
      queued += p.length();
    }
    return skipped - before;
  }

  @Override
  public synchronized long skipped() {
    return skipped;
  }

  @Override
  public synchronized boolean exhausted() {
    return total >= 0 && queue.isEmpty();
  }

  @Override
  public synchronized boolean empty() {
    return queue.isEmpty();
  }

  @Override
  public synchronized long total() {
    return total;
  }

  @Override
  public void idle(Runnable wake) {
    boolean now;
    synchronized (this) {
      now = !queue.isEmpty() || total >= 0;
      if (!now) {
        idle.add(wake);
      }
    }
    if (now) {
      wake.run();
    }
  }

  private List<Runnable> takeIdle() {
    List<Runnable> wake = new ArrayList<>(idle);
    idle.clear();
    return wake;
  }

  @Override
  public void close() {
    Handler<Void> drain;
    synchronized (this) {
      closed = true;
      queue.forEach(Piece::release);
      queue.clear();
      queued = 0;
      drain = drainHandler;
      drainHandler = null;
    }
    if (drain != null) {
      context.runOnContext(v -> drain.handle(null));
    }
  }
}
