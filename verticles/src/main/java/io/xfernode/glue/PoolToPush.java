package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.pool.CrossPipe;
import io.xfernode.pool.Inbound;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;

/**
 * POOL → PUSH: receives the transfer's streams from the previous node over the pool's shared connections,
 * puts their bytes back in order and writes them into the ring.
 */
final class PoolToPush extends GlueBase {

  PoolToPush() {
    super(Mechanism.POOL, Mechanism.PUSH, Cost.of(1, 0),
      "on the event loop: receives the bytes from the previous node over the pool's shared connections, in order");
  }

  @Override
  public Element create() {
    return new Run();
  }

  private static final class Run extends Element {

    private Pools pools;
    private volatile Inbound inbound;

    @Override
    public Future<Void> setup(ElementContext ctx) {
      try {
        pools = PushToPool.pools(ctx);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      PoolLink link = ctx.poolLink();
      // expected before READY, so before the sender starts: its channels find the transfer's token
      return ctx.onContext(pools.expect(link.pool(), ctx.transferId(), link.token(), link.streams())
        .onSuccess(in -> inbound = in)).mapEmpty();
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return ctx.onContext(CrossPipe.pipe(inbound, pools.context(), ctx.outputStream(), ctx.context()));
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      abort(String.valueOf(reason.getMessage()));
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      abort("the transfer ended");
      return Future.succeededFuture();
    }

    private void abort(String why) {
      Inbound in = inbound;
      if (in != null) {
        pools.context().runOnContext(v -> in.abort(why));
      }
    }
  }
}
