package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/** PUSH → PULL: the ring between them is the glue: the downstream's pull takes the next buffer, blocking while it is empty. */
final class PushToPull extends PullOfferingGlue {

  PushToPull() {
    super(Mechanism.PUSH, Cost.of(0, 0), "the ring between them is the glue: the downstream's pull takes the next buffer, blocking while it is empty");
  }

  @Override
  protected PullSource open(ElementContext ctx) throws Exception {
    return Ends.pushInput(ctx);
  }
}
