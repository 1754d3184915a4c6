package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** PULL → PUSH: a worker thread pulls from upstream and writes the ring downstream, waiting while it is full. */
final class PullToPush extends BlockingGlue {

  PullToPush() {
    super(Mechanism.PULL, Mechanism.PUSH, Cost.of(0, 1), "a worker thread pulls from upstream and writes the ring downstream, waiting while it is full");
  }

  @Override
  protected long move(ElementContext ctx) throws Exception {
    return Copy.loop(ctx.inputPuller(), Ends.pushOutput(ctx), ctx);
  }
}
