package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.ChannelOffer;
import io.xfernode.transport.Connection;

import java.nio.channels.FileChannel;

/**
 * CHANNEL → TCP_LISTEN or TCP_CONNECT: the upstream's file goes into the direct hop's connection as regions
 * the kernel sends from the page cache ({@code sendfile}): the bytes never enter the JVM, and no thread is
 * needed.
 */
final class FileToSocket extends GlueBase {

  /** The region sent at a time, so that progress and cancel are seen. */
  static final long STEP = 8L << 20;

  FileToSocket(Mechanism tcp) {
    super(Mechanism.CHANNEL, tcp, Cost.of(0, 0), TcpEnd.sending(tcp)
      + " and sends the file as regions (sendfile: no copy in user space)");
  }

  @Override
  public Element create() {
    return new Run();
  }

  private final class Run extends Element {

    private final TcpEnd tcp = new TcpEnd(out, false);

    @Override
    public Future<Void> setup(ElementContext ctx) {
      return tcp.setup(ctx);
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      ChannelOffer offer = ctx.inputChannel();
      if (!(offer.channel() instanceof FileChannel file) || offer.count() < 0) {
        XferException e = new XferException(ErrorCode.INTERNAL, ctx.name() + ": needs a file of known length");
        ctx.channelFinished(-1, e);
        return Future.failedFuture(e);
      }
      return tcp.open(ctx)
        .compose(c -> send(ctx, c, file, offer.position(), offer.position() + offer.count()).compose(v -> c.close()))
        .recover(t -> ctx.<Void>blocking("check", () -> {
          // a file that changed while it was sent is the reason for whatever failed (409)
          offer.verifySource();
          throw t instanceof Exception e ? e : new RuntimeException(t);
        }))
        .onFailure(tcp::abort)
        .andThen(ar -> ctx.channelFinished(ar.succeeded() ? offer.count() : -1, ar.cause()));
    }

    private Future<Void> send(ElementContext ctx, Connection c, FileChannel file, long from, long end) {
      if (from >= end || ctx.cancelled()) {
        return ctx.cancelled() ? Future.failedFuture(new XferException(ErrorCode.INTERNAL, "cancelled"))
          : Future.succeededFuture();
      }
      long n = Math.min(STEP, end - from);
      try {
        if (file.size() < from + n) {
          return Future.failedFuture(new XferException(ErrorCode.CONFLICT, "the file shrank to " + file.size()
            + " bytes while it was sent"));
        }
      } catch (java.io.IOException e) {
        return Future.failedFuture(e);
      }
      return c.sendFile(file, from, n).compose(v -> {
        ctx.progress(n);
        return send(ctx, c, file, from + n, end);
      });
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      tcp.abort(reason);
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      return tcp.release();
    }
  }
}
