package io.xfernode.transfer;

import io.vertx.core.Future;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.transfer.msg.Done;
import io.xfernode.transfer.msg.Failure;
import io.xfernode.transfer.msg.Start;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of one element of a {@link Slice}, on the slice's context: setup, start, then commit or
 * cancel, and release last. An element that throws instead of failing its future is treated the same.
 */
final class ElementRun {

  private static final Logger log = LoggerFactory.getLogger(ElementRun.class);

  private final HostedContext ctx;
  private final Element element;
  /** How long release waits for a setup still under way, so that it releases what the setup opened. */
  static final long SETUP_WAIT_MS = 10_000;

  private Future<Void> setup = Future.succeededFuture();
  private boolean started;
  private boolean finished;
  private boolean released;

  ElementRun(HostedContext ctx, Element element) {
    this.ctx = ctx;
    this.element = element;
  }

  HostedContext ctx() {
    return ctx;
  }

  Future<Void> setup() {
    try {
      setup = element.setup(ctx);
    } catch (RuntimeException e) {
      setup = Future.failedFuture(e);
    }
    return setup;
  }

  /** Whether the element has anything to do at COMMIT. */
  boolean commits() {
    return element.commits();
  }

  /**
   * Starts the element. An ERROR goes to the controller as soon as it fails; its DONE is left to the
   * slice to send, since a slice that needs no COMMIT sends it only once it has released everything.
   *
   * @return the DONE to report, once the element is done; fails if it failed or never started
   */
  Future<Done> start(Start.Peers peers) {
    if (started || finished) {
      return Future.failedFuture("not started: already " + (finished ? "ended" : "started"));
    }
    started = true;
    ctx.peers(peers.in(), peers.out());
    Future<Void> run;
    try {
      run = element.start(ctx);
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    return run.transform(ar -> {
      if (finished) {
        return Future.failedFuture("ended");
      }
      if (ar.succeeded()) {
        ctx.flushProgress();
        return Future.succeededFuture(new Done(ctx.transferId(), ctx.index(), ctx.bytes(), element.result()));
      }
      fail(ar.cause());
      return Future.failedFuture(ar.cause());
    });
  }

  /** Reports a failure of this element. */
  void fail(Throwable t) {
    XferException e = ElementErrors.classify(t).withElement(ctx.name());
    if (e.code() == ErrorCode.INTERNAL && !(t instanceof XferException)) {
      log.error("transfer {}: element {} failed", ctx.transferId(), ctx.name(), t);
    } else {
      log.debug("transfer {}: element {} failed with {}: {}", ctx.transferId(), ctx.name(), e.code(), e.getMessage());
    }
    ctx.report(new Failure(ctx.transferId(), ctx.index(), e));
  }

  /** Stops the element at once; idempotent. Never blocks. */
  void cancel(XferException reason) {
    if (finished) {
      return;
    }
    finished = true;
    ctx.cancel(reason);
    try {
      element.cancel(ctx, reason);
    } catch (RuntimeException e) {
      log.warn("transfer {}: {} failed to cancel: {}", ctx.transferId(), ctx.name(), e.toString());
    }
  }

  /** Makes the element's result durable; on failure the element is cancelled, so it leaves nothing behind. */
  Future<Void> commit() {
    if (finished) {
      return Future.succeededFuture();
    }
    finished = true;
    Future<Void> commit;
    try {
      commit = element.commit(ctx);
    } catch (RuntimeException e) {
      commit = Future.failedFuture(e);
    }
    return commit.recover(t -> {
      XferException reason = ElementErrors.classify(t).withElement(ctx.name());
      ctx.cancel(reason);
      element.cancel(ctx, reason);
      return Future.failedFuture(reason);
    });
  }

  /** Waits for the element's threads, then releases it; once. Never fails. */
  Future<Void> release() {
    if (released) {
      return Future.succeededFuture();
    }
    released = true;
    // a cancel may come while the setup still opens things (a socket, a file): release what it opened too
    Future<Void> setupEnded = setup.isComplete() ? Future.succeededFuture()
      : setup.<Void>transform(ar -> Future.succeededFuture()).timeout(SETUP_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .otherwiseEmpty();
    return setupEnded.compose(x -> ctx.awaitThreads()).compose(v -> {
      try {
        return element.release(ctx);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }).recover(t -> {
      log.warn("transfer {}: {} failed to release: {}", ctx.transferId(), ctx.name(), t.toString());
      return Future.succeededFuture();
    });
  }
}
