package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/** CHANNEL → PULL: each pull reads the next chunk of the upstream's channel (read on demand). */
final class ChannelToPull extends PullOfferingGlue {

  ChannelToPull() {
    super(Mechanism.CHANNEL, Cost.of(1, 0), "each pull reads the next chunk of the upstream's channel (read on demand)");
  }

  @Override
  protected PullSource open(ElementContext ctx) throws Exception {
    return Ends.channelInput(ctx);
  }
}
