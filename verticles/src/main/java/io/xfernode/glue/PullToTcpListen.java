package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** PULL → TCP_LISTEN: a worker thread connects to the downstream's listener, then pulls and writes the socket. */
final class PullToTcpListen extends BlockingGlue {

  PullToTcpListen() {
    super(Mechanism.PULL, Mechanism.TCP_LISTEN, Cost.of(1, 1), "a worker thread connects to the downstream's listener, then pulls and writes the socket");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Copy.loop(ctx.inputPuller(), Ends.socketOutput(sockets.output), ctx);
  }
}
