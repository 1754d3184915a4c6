package io.xfernode.filter;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.link.PullSource;

/**
 * A PULL→PULL filter whose output buffers need not match its input buffers one for one (compression, a
 * process): each pull of the downstream runs {@link #next} on the downstream's thread, which pulls from the
 * upstream as often as it needs. It is done once {@link #next} returned the end of the stream.
 */
abstract class PullTransform extends Element {

  private final Promise<Void> done = Promise.promise();

  /**
   * Makes the next output buffer, on the puller's thread; never called concurrently.
   *
   * @return the next bytes, or {@code null} at the end of the output
   */
  protected abstract Buffer next(PullSource in) throws Exception;

  @Override
  public Future<Void> setup(ElementContext ctx) {
    PullSource in = ctx.inputPuller();
    ctx.offerPuller(() -> pull(ctx, in));
    return Future.succeededFuture();
  }

  private Buffer pull(ElementContext ctx, PullSource in) throws Exception {
    try {
      Buffer b = next(in);
      if (b == null) {
        done.tryComplete();
      }
      return b;
    } catch (XferException e) {
      // the downstream reports this failure too: it must name this element, not the one that pulled
      XferException named = e.withElement(ctx.name());
      done.tryFail(named);
      throw named;
    } catch (Exception e) {
      done.tryFail(e);
      throw e;
    }
  }

  /** Fails this element as {@code cause} (e.g. a helper thread's failure). */
  protected final void fail(Throwable cause) {
    done.tryFail(cause);
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    return ctx.onContext(done.future());
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    done.tryFail(reason);
  }
}
