package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** CHANNEL → PUSH: a worker thread reads the upstream's channel in chunks into the ring. */
final class ChannelToPush extends BlockingGlue {

  ChannelToPush() {
    super(Mechanism.CHANNEL, Mechanism.PUSH, Cost.of(1, 1), "a worker thread reads the upstream's channel in chunks into the ring");
  }

  @Override
  protected long move(ElementContext ctx) throws Exception {
    return Copy.loop(Ends.channelInput(ctx), Ends.pushOutput(ctx), ctx);
  }
}
