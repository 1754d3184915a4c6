package io.xfernode.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;

import java.util.concurrent.TimeUnit;

/**
 * The running {@code throttle}: on its event loop, it asks its input for one buffer at a time and hands it
 * on in slices of at most 50 ms worth of bytes. Before each slice, and before the end, it waits on a timer
 * while the bytes already sent are ahead of {@code rate} since the first byte; it also waits for the
 * output's drain when the output is full. It never sleeps and never holds more than one input buffer.
 */
final class Throttle extends Element {

  private final long rate;
  private final int maxSlice;
  private final Promise<Void> done = Promise.promise();
  private ElementContext ctx;
  private ReadStream<Buffer> in;
  private WriteStream<Buffer> out;
  private Buffer pending;
  private boolean requested;
  private boolean ended;
  private boolean endSent;
  private long timer = -1;
  private long firstByteAt = -1;
  private long sent;

  Throttle(long rate) {
    this.rate = rate;
    this.maxSlice = (int) Math.min(Integer.MAX_VALUE, Math.max(1, rate / 20));
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    this.ctx = ctx;
    in = ctx.inputStream();
    out = ctx.outputStream();
    in.pause();
    in.exceptionHandler(done::tryFail);
    out.exceptionHandler(done::tryFail);
    out.drainHandler(v -> pump());
    in.endHandler(v -> {
      ended = true;
      pump();
    });
    in.handler(b -> {
      requested = false;
      pending = b;
      if (firstByteAt < 0) {
        firstByteAt = System.nanoTime();
      }
      pump();
    });
    pump();
    return done.future();
  }

  /** Moves what it may now; otherwise arranges to be called again by a timer, a drain or the input. */
  private void pump() {
    if (timer >= 0 || endSent || done.future().isComplete() || ctx.cancelled()) {
      return;
    }
    while (pending != null) {
      if (waitIfAhead() || waitIfFull()) {
        return;
      }
      int n = Math.min(pending.length(), maxSlice);
      Buffer slice = n == pending.length() ? pending : pending.slice(0, n);
      pending = n == pending.length() ? null : pending.slice(n, pending.length());
      sent += n;
      out.write(slice);
    }
    if (ended) {
      // the end waits too, so that the whole transfer takes at least its bytes over the rate
      if (!waitIfAhead()) {
        endSent = true;
        out.end().onComplete(ar -> {
          if (ar.succeeded()) {
            done.tryComplete();
          } else {
            done.tryFail(ar.cause());
          }
        });
      }
    } else if (!requested) {
      requested = true;
      in.fetch(1);
    }
  }

  private boolean waitIfAhead() {
    if (firstByteAt < 0) {
      return false;
    }
    double dueNanos = (double) sent / rate * TimeUnit.SECONDS.toNanos(1);
    double aheadNanos = dueNanos - (System.nanoTime() - firstByteAt);
    if (aheadNanos < TimeUnit.MILLISECONDS.toNanos(1)) {
      return false;
    }
    long delay = (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(aheadNanos / TimeUnit.MILLISECONDS.toNanos(1)));
    timer = ctx.vertx().setTimer(delay, t -> {
      timer = -1;
      pump();
    });
    return true;
  }

  private boolean waitIfFull() {
    // the drain handler set at start calls pump again
    return out.writeQueueFull();
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
    done.tryFail(reason);
  }
}
