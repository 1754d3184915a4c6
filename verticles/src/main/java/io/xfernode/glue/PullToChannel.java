package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** PULL → CHANNEL: a worker thread pulls from upstream and writes the downstream's channel. */
final class PullToChannel extends BlockingGlue {

  PullToChannel() {
    super(Mechanism.PULL, Mechanism.CHANNEL, Cost.of(1, 1), "a worker thread pulls from upstream and writes the downstream's channel");
  }

  @Override
  protected long move(ElementContext ctx) throws Exception {
    return Copy.loop(ctx.inputPuller(), Ends.channelOutput(ctx), ctx);
  }
}
