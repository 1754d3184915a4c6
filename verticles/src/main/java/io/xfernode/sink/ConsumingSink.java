package io.xfernode.sink;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/**
 * A sink that looks at every byte and keeps none: over PUSH on its event loop, over PULL on a thread of
 * its own. Subclasses say what to do with each buffer.
 */
abstract class ConsumingSink extends Element {

  /** Called for each buffer, in order, never concurrently. */
  protected abstract void consume(Buffer buffer);

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (ctx.inMechanism() == Mechanism.PULL) {
      PullSource in = ctx.inputPuller();
      return ctx.thread("consume", () -> {
        Buffer b;
        while ((b = in.pull()) != null) {
          consume(b);
          ctx.progress(b.length());
        }
        return null;
      }).mapEmpty();
    }
    Promise<Void> done = Promise.promise();
    ReadStream<Buffer> in = ctx.inputStream();
    in.exceptionHandler(done::tryFail);
    in.endHandler(v -> done.tryComplete());
    in.handler(b -> {
      consume(b);
      ctx.progress(b.length());
    });
    return done.future();
  }
}
