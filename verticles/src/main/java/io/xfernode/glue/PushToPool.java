package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.pool.CrossPipe;
import io.xfernode.pool.Outbound;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.PoolSender;
import io.xfernode.pool.Pools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** PUSH → POOL: sends the ring's bytes to the next node over the pool's shared connections, one channel per stream. */
final class PushToPool extends GlueBase {

  PushToPool() {
    super(Mechanism.PUSH, Mechanism.POOL, Cost.of(1, 0),
      "on the event loop: sends the ring's bytes to the next node over the pool's shared connections");
  }

  @Override
  public Element create() {
    return new Run();
  }

  /** The pools of this node and the hop's link, or a 503 when the node has none. */
  static Pools pools(ElementContext ctx) {
    if (ctx.pools() == null || ctx.poolLink() == null) {
      throw new XferException(ErrorCode.UNAVAILABLE, "node " + ctx.env().nodeId() + " has no pools");
    }
    return ctx.pools();
  }

  private static final class Run extends Element {

    private final AtomicReference<PoolSender> sender = new AtomicReference<>();
    private final List<Future<Outbound>> opening = new ArrayList<>();
    private Pools pools;

    @Override
    public Future<Void> setup(ElementContext ctx) {
      try {
        pools = pools(ctx);
      } catch (XferException e) {
        return Future.failedFuture(e);
      }
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      PoolLink link = ctx.poolLink();
      for (int i = 0; i < link.streams(); i++) {
        opening.add(pools.open(link.pool(), link.downNode(), ctx.transferId(), i, link.streams(), link.token()));
      }
      // the futures complete on the pools' context: the sender is made and used there
      Future<Void> piped = Future.all(opening).compose(all -> {
        PoolSender s = new PoolSender(all.list(), "");
        sender.set(s);
        if (ctx.cancelled()) {
          s.abort("cancelled");
        }
        return CrossPipe.pipe(ctx.inputStream(), ctx.context(), s, pools.context());
      });
      return ctx.onContext(piped);
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      String why = String.valueOf(reason.getMessage());
      pools.context().runOnContext(v -> {
        PoolSender s = sender.get();
        if (s != null) {
          s.abort(why);
        }
        for (Future<Outbound> f : opening) {
          f.onSuccess(out -> out.abort(why));
        }
      });
    }
  }
}
