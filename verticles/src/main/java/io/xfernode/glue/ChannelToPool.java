package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.filter.Digests;
import io.xfernode.link.ChannelOffer;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Sender;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * CHANNEL → POOL: sends the upstream's file to the next node as regions of it after each DATA header, which
 * the kernel sends from the page cache ({@code sendfile}): the bytes never enter the JVM. Over TLS they
 * are read in chunks. With a checksum, a thread of its own reads the file alongside to compute it.
 */
final class ChannelToPool extends PoolGlue {

  /** The buffer the file is read through for its checksum. */
  static final int DIGEST_BUFFER = 1 << 20;

  ChannelToPool() {
    super(Mechanism.CHANNEL, Mechanism.POOL, Cost.of(0, 0),
      "sends the upstream's file to the next node as file regions (sendfile: no copy in user space)");
  }

  @Override
  public Cost cost(JsonObject options) {
    return options.getString("checksum") == null ? cost() : Cost.of(0, 1);
  }

  @Override
  public Element create() {
    return new Run();
  }

  private static final class Run extends Element {

    private Sender sender;
    private Future<String> checksum = Future.succeededFuture("");

    @Override
    public Future<Void> start(ElementContext ctx) {
      try {
        PoolLink link = link(ctx);
        ChannelOffer in = ctx.inputChannel();
        if (!(in.channel() instanceof FileChannel file) || in.count() < 0) {
          throw new XferException(ErrorCode.INTERNAL, ctx.name() + ": CHANNEL → POOL needs a file of known length");
        }
        if (link.checksum() != null) {
          checksum = ctx.thread("digest", () -> link.checksum() + ":" + digest(file, in.position(), in.count(),
            link.checksum(), ctx));
        }
        sender = Sender.file(pools(ctx), link, ctx.transferId(), file, in.position(), in.count(), checksum,
          ctx.sourceIdentity()).progress(ctx::progress);
        long count = in.count();
        return ctx.onContext(sender.open().compose(v -> sender.done()))
          // a file that changed while it was sent is the reason for whatever failed (409)
          .recover(t -> ctx.<Void>blocking("check", () -> {
            in.verifySource();
            throw t instanceof Exception e ? e : new RuntimeException(t);
          }))
          .andThen(ar -> ctx.channelFinished(ar.succeeded() ? count : -1, ar.cause()));
      } catch (RuntimeException e) {
        ctx.channelFinished(-1, e);
        return Future.failedFuture(e);
      }
    }

    private static String digest(FileChannel file, long from, long count, String algorithm, ElementContext ctx)
      throws Exception {
      Digests.Digest d = Digests.create(algorithm);
      ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(DIGEST_BUFFER, Math.max(1, count)));
      long at = 0;
      while (at < count) {
        if (ctx.cancelled()) {
          throw new InterruptedException("cancelled");
        }
        b.clear().limit((int) Math.min(b.capacity(), count - at));
        int n = file.read(b, from + at);
        if (n < 0) {
          throw new EOFException("the file ended at byte " + at + " of " + count + ": it shrank while being read");
        }
        b.flip();
        d.update(b);
        at += n;
      }
      return d.hex();
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      if (sender != null) {
        sender.abort(String.valueOf(reason.getMessage()));
      }
    }

    @Override
    public JsonObject result() {
      return hopResult(checksum.succeeded() ? checksum.result() : null, "out", null, sender);
    }
  }
}
