package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/**
 * Glue that moves bytes on a thread of its own, between a blocking side (PULL, CHANNEL) and another. A
 * subclass only says how the bytes move; this base runs it, reports the end of a CHANNEL link, and stops it
 * on cancel (the thread is interrupted, and the links are failed, which wakes it).
 */
abstract class BlockingGlue extends GlueBase {

  BlockingGlue(Mechanism in, Mechanism out, Cost cost, String description) {
    super(in, out, cost, description);
  }

  /** Moves every byte from the input to the output, on the glue's thread, and returns how many. */
  protected abstract long move(ElementContext ctx) throws Exception;

  @Override
  public Element create() {
    return new Run();
  }

  private final class Run extends Element {

    @Override
    public Future<Void> start(ElementContext ctx) {
      return ctx.thread("copy", () -> move(ctx)).andThen(ar -> {
        if (in == Mechanism.CHANNEL || out == Mechanism.CHANNEL) {
          ctx.channelFinished(ar.succeeded() ? ar.result() : -1, ar.cause());
        }
      }).mapEmpty();
    }
  }
}
