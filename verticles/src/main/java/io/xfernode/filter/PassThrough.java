package io.xfernode.filter;

import io.xfernode.link.MappedWriteStream;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/**
 * A filter that hands each buffer on as it comes, possibly changed buffer by buffer: the plumbing every
 * PUSH→PUSH or PULL→PULL filter shares (SPEC 1.4: the null transform is its reference). Over PUSH it pipes
 * with backpressure on its event loop; over PULL it wraps its upstream's source and runs on the puller's
 * thread.
 */
public abstract class PassThrough extends Element {

  private final Promise<Void> done = Promise.promise();

  /** @return what to hand on for {@code buffer}; never called concurrently */
  protected Buffer apply(Buffer buffer) {
    return buffer;
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    if (ctx.outMechanism() == Mechanism.PULL) {
      PullSource in = ctx.inputPuller();
      ctx.offerPuller(() -> {
        try {
          Buffer b = in.pull();
          if (b == null) {
            done.tryComplete();
            return null;
          }
          return apply(b);
        } catch (Exception e) {
          done.tryFail(e);
          throw e;
        }
      });
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (ctx.outMechanism() == Mechanism.PULL) {
      return ctx.onContext(done.future());
    }
    return ctx.inputStream().pipe().endOnFailure(false).to(new MappedWriteStream(ctx.outputStream(), this::apply));
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    done.tryFail(reason);
  }
}
