package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** PUSH → CHANNEL: a worker thread takes buffers from the ring and writes the downstream's channel. */
final class PushToChannel extends BlockingGlue {

  PushToChannel() {
    super(Mechanism.PUSH, Mechanism.CHANNEL, Cost.of(1, 1), "a worker thread takes buffers from the ring and writes the downstream's channel");
  }

  @Override
  protected long move(ElementContext ctx) throws Exception {
    return Copy.loop(Ends.pushInput(ctx), Ends.channelOutput(ctx), ctx);
  }
}
