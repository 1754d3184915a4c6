package io.xfernode.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.element.Mechanism;

import java.util.concurrent.atomic.AtomicLong;

/**
 * CHANNEL: the passive side offers a channel at setup; the glue on the other side moves the bytes and,
 * when it is done, completes {@link #done()} with the byte count, which is how the passive side learns
 * that its part is over.
 */
public final class ChannelLink implements Link {

  private volatile ChannelOffer readable;
  private volatile ChannelOffer writable;
  private final Promise<Long> done = Promise.promise();
  private final AtomicLong moved = new AtomicLong();

  @Override
  public Mechanism mechanism() {
    return Mechanism.CHANNEL;
  }

  /** Called by an upstream element that exposes what it has to read. */
  public void offerReadable(ChannelOffer offer) {
    this.readable = offer;
  }

  /** Called by a downstream element that exposes where to write. */
  public void offerWritable(ChannelOffer offer) {
    this.writable = offer;
  }

  public ChannelOffer readable() {
    if (readable == null) {
      throw new IllegalStateException("the upstream element offered no readable channel");
    }
    return readable;
  }

  public ChannelOffer writable() {
    if (writable == null) {
      throw new IllegalStateException("the downstream element offered no writable channel");
    }
    return writable;
  }

  /** Called by the driving glue as bytes pass. */
  public void moved(long bytes) {
    moved.addAndGet(bytes);
  }

  public long movedSoFar() {
    return moved.get();
  }

  /** Completes when the driving side has finished: with the bytes moved, or with its failure. */
  public Future<Long> done() {
    return done.future();
  }

  public void finish(long bytes) {
    done.tryComplete(bytes);
  }

  @Override
  public void fail(Throwable cause) {
    done.tryFail(cause);
  }
}
