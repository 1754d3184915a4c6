package io.xfernode.file;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;

import java.nio.file.Files;
import java.nio.file.Path;

/** The recursive file source: a directory tree as one stream, pulled on the downstream's thread. */
public final class TreeSource extends Element {

  private final String path;
  private final Promise<Void> done = Promise.promise();
  private TreeWriter writer;

  public TreeSource(String path) {
    this.path = path;
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    String field = ctx.name() + ".path";
    return ctx.blocking("scan", () -> {
      Path dir = new Roots(ctx.env().roots()).existing(field, path);
      if (!Files.isDirectory(dir)) {
        throw XferException.badRequest(ctx.name() + ".recursive", path + " is not a directory");
      }
      var entries = TreeWriter.scan(dir);
      // the total and the progress count the files' bytes, not the stream's headers
      ctx.total(entries.stream().mapToLong(TreeWriter.Entry::size).sum());
      long files = entries.stream().filter(e -> !e.dir()).count();
      java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
      ctx.files(0, files);
      writer = new TreeWriter(entries, ctx.env().chunkSize(), field, ctx::progress,
        () -> ctx.files(sent.incrementAndGet(), files));
      ctx.offerPuller(() -> {
        try {
          Buffer b = writer.pull();
          if (b == null) {
            done.tryComplete();
          }
          return b;
        } catch (Exception e) {
          done.tryFail(e);
          throw e;
        }
      });
      return null;
    });
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    return ctx.onContext(done.future());
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    done.tryFail(reason);
  }

  @Override
  public Future<Void> release(ElementContext ctx) {
    return writer == null ? Future.succeededFuture() : ctx.blocking("close", () -> {
      writer.close();
      return null;
    });
  }
}
