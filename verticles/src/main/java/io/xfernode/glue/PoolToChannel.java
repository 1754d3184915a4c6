package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.ChannelOffer;
import io.xfernode.pool.FileOutput;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Receiver;

import java.nio.channels.FileChannel;

/**
 * POOL → CHANNEL: receives the transfer's streams from the previous node and writes each piece at its
 * offset in the downstream's file, straight from the buffer the socket read it into, on a thread of its
 * own: parallel streams need no reordering. To verify a checksum it reads the file back.
 */
final class PoolToChannel extends PoolGlue {

  PoolToChannel() {
    super(Mechanism.POOL, Mechanism.CHANNEL, Cost.of(1, 1),
      "receives the bytes from the previous node and writes each piece at its offset in the downstream's file");
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
    private FileOutput output;

    @Override
    public Future<Void> start(ElementContext ctx) {
      Future<Long> written;
      try {
        PoolLink link = link(ctx);
        ChannelOffer out = ctx.outputChannel();
        if (!(out.channel() instanceof FileChannel file)) {
          throw new XferException(ErrorCode.INTERNAL, ctx.name() + ": POOL → CHANNEL needs a file downstream");
        }
        output = new FileOutput(file, out.position(), out.markers(), ctx::progress);
        receiver = pools(ctx).expect(link, ctx.transferId(), link.resume(), output, ctx.bufferBytes());
        written = ctx.thread("write", output::run);
        Receiver r = receiver;
        written.onFailure(r::fail);
      } catch (RuntimeException e) {
        ctx.channelFinished(-1, e);
        return Future.failedFuture(e);
      }
      return ctx.onContext(receiver.completion()).compose(v -> written)
        .andThen(ar -> ctx.channelFinished(ar.succeeded() ? ar.result() : -1, ar.cause())).mapEmpty();
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
      return hopResult(receiver == null ? null : receiver.checksum(), "in", output == null ? null : output.verified());
    }
  }
}
