package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/**
 * Glue that moves bytes on a thread of its own. When a side of it is a TCP mechanism, this base opens that
 * side: it listens at setup (publishing the address in READY) and accepts at start, or it connects at
 * start to the address the peer published. A subclass only says how the bytes move.
 */
abstract class BlockingGlue extends GlueBase {


  BlockingGlue(Mechanism in, Mechanism out, Cost cost, String description) {
    super(in, out, cost, description);
  }

  /** Moves every byte from the input to the output, on the glue's thread, and returns how many. */
  protected abstract long move(ElementContext ctx, GlueSockets sockets) throws Exception;


  @Override
  public Element create() {
    return new Run();
  }

  private final class Run extends Element {

    private final GlueSockets sockets = new GlueSockets(in, out);

    @Override
    public Future<Void> setup(ElementContext ctx) {
      return sockets.listen(ctx);
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return ctx.thread("copy", () -> {
        sockets.open(ctx);
        long bytes = move(ctx, sockets);
        sockets.close();
        return bytes;
      }).andThen(ar -> {
        if (in == Mechanism.CHANNEL || out == Mechanism.CHANNEL) {
          ctx.channelFinished(ar.succeeded() ? ar.result() : -1, ar.cause());
        }
      }).mapEmpty();
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      sockets.abort();
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      sockets.abort();
      return Future.succeededFuture();
    }
  }
}
