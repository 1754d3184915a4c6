package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.MappedWriteStream;
import io.xfernode.pool.OrderedOutput;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Receiver;

/**
 * POOL → PUSH: receives the transfer's streams from the previous node over the pool's shared connections
 * and writes their bytes downstream in order, each copied once out of the socket's buffer.
 */
final class PoolToPush extends PoolGlue {

  PoolToPush() {
    super(Mechanism.POOL, Mechanism.PUSH, Cost.of(1, 0),
      "receives the bytes from the previous node over the pool's connections and hands them on in order");
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

    private Receiver receiver;
    private OrderedOutput output;

    @Override
    public Future<Void> start(ElementContext ctx) {
      try {
        PoolLink link = link(ctx);
        output = new OrderedOutput(ctx.context(), MappedWriteStream.counting(ctx.outputStream(), ctx::progress),
          link.checksum());
        receiver = pools(ctx).expect(link, ctx.transferId(), link.resume(), output, ctx.bufferBytes());
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return ctx.onContext(receiver.completion()).compose(v -> ctx.outputStream().end());
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      if (receiver != null) {
        receiver.abort(String.valueOf(reason.getMessage()));
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      if (receiver != null) {
        receiver.abort("the transfer ended");
      }
      return Future.succeededFuture();
    }

    @Override
    public JsonObject result() {
      return hopResult(receiver == null ? null : receiver.checksum(), "in", "stream");
    }
  }
}
