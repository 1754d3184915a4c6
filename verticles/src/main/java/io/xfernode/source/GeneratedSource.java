package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/**
 * A source that makes its bytes itself, chunk by chunk: over PUSH it writes chunks on its event loop while
 * the ring has room, over PULL each pull makes the next chunk on the puller's thread.
 */
abstract class GeneratedSource extends Element {

  private final long length;
  private long produced;
  private final Promise<Void> done = Promise.promise();

  GeneratedSource(long length) {
    this.length = length;
  }

  /** @return the next {@code size} bytes of the stream, which starts at {@code offset} */
  protected abstract Buffer chunk(long offset, int size);

  @Override
  public Future<Void> setup(ElementContext ctx) {
    ctx.total(length);
    if (ctx.outMechanism() == Mechanism.PULL) {
      ctx.offerPuller(() -> next(ctx));
    }
    return Future.succeededFuture();
  }

  private synchronized Buffer next(ElementContext ctx) {
    if (produced >= length) {
      done.tryComplete();
      return null;
    }
    int size = (int) Math.min(ctx.env().chunkSize(), length - produced);
    Buffer b = chunk(produced, size);
    produced += size;
    ctx.progress(size);
    return b;
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (ctx.outMechanism() == Mechanism.PULL) {
      return ctx.onContext(done.future());
    }
    push(ctx, ctx.outputStream());
    return done.future();
  }

  private void push(ElementContext ctx, WriteStream<Buffer> out) {
    // a failed output never reports itself full: its failed writes must stop the loop, or a downstream
    // cancelled before this element would keep it spinning on its event loop, where its own cancel waits
    while (!ctx.cancelled() && !done.future().isComplete()) {
      if (out.writeQueueFull()) {
        out.drainHandler(v -> push(ctx, out));
        return;
      }
      Buffer b = next(ctx);
      if (b == null) {
        out.end();
        return;
      }
      out.write(b).onFailure(done::tryFail);
    }
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    done.tryFail(reason);
  }
}
