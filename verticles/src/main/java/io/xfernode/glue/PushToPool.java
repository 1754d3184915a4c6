package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;
import io.xfernode.pool.Sender;

/**
 * PUSH → POOL: sends the upstream's buffers to the next node over the pool's shared connections. Each
 * buffer is queued as it is, and the first stream with credit sends it.
 */
final class PushToPool extends PoolGlue {

  PushToPool() {
    super(Mechanism.PUSH, Mechanism.POOL, Cost.of(1, 0),
      "on the event loops of the pool's connections: sends the upstream's buffers to the next node");
  }

  @Override
  public int buffers() {
    return 1;
  }

  @Override
  public Element create() {
    return new Run();
  }

  private static final class Run extends Element {

    private Sender sender;
    private Sender.Push push;

    @Override
    public Future<Void> start(ElementContext ctx) {
      PoolLink link;
      Pools pools;
      try {
        link = link(ctx);
        pools = pools(ctx);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      long queue = ctx.bufferBytes();
      push = Sender.push(pools, link, ctx.transferId(), ctx.context(), queue);
      sender = push.sender();
      Sender open = sender;
      return ctx.onContext(sender.open()).compose(v -> ctx.inputStream().pipe().endOnFailure(false).to(push.input())
          // the queue refuses bytes once the streams failed: their failure is the reason
          .recover(t -> open.done().failed() ? Future.failedFuture(open.done().cause()) : Future.failedFuture(t)))
        .compose(v -> ctx.onContext(sender.done()));
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      if (sender != null) {
        sender.abort(String.valueOf(reason.getMessage()));
      }
    }

    @Override
    public JsonObject result() {
      return hopResult(push == null ? null : push.checksum(), "out", null, sender);
    }
  }
}
