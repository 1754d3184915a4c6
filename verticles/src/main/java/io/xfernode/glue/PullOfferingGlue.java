package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/**
 * Glue whose output is PULL: it needs no thread of its own, because every read happens inside the
 * downstream's {@code pull()}, on the downstream's thread ("read on demand").
 */
abstract class PullOfferingGlue extends GlueBase {

  PullOfferingGlue(Mechanism in, Cost cost, String description) {
    super(in, Mechanism.PULL, cost, description);
  }

  /** Opens the input; called by the first pull. */
  protected abstract PullSource open(ElementContext ctx) throws Exception;

  @Override
  public Element create() {
    return new Run();
  }

  private final class Run extends Element {

    private final Promise<Long> done = Promise.promise();
    private volatile PullSource source;
    private long bytes;

    @Override
    public Future<Void> setup(ElementContext ctx) {
      ctx.offerPuller(() -> pull(ctx));
      return Future.succeededFuture();
    }

    private Buffer pull(ElementContext ctx) throws Exception {
      try {
        if (source == null) {
          source = open(ctx);
        }
        Buffer buffer = source.pull();
        if (buffer == null) {
          done.tryComplete(bytes);
        } else {
          bytes += buffer.length();
        }
        return buffer;
      } catch (Exception e) {
        done.tryFail(e);
        throw e;
      }
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return ctx.onContext(done.future()).andThen(ar -> {
        if (in == Mechanism.CHANNEL) {
          ctx.channelFinished(ar.succeeded() ? ar.result() : -1, ar.cause());
        }
      }).mapEmpty();
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      done.tryFail(reason);
    }
  }
}
