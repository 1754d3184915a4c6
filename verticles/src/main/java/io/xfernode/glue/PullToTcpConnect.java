package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** PULL → TCP_CONNECT: a worker thread listens, accepts the downstream's connection, then pulls and writes the socket. */
final class PullToTcpConnect extends BlockingGlue {

  PullToTcpConnect() {
    super(Mechanism.PULL, Mechanism.TCP_CONNECT, Cost.of(1, 1), "a worker thread listens, accepts the downstream's connection, then pulls and writes the socket");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Copy.loop(ctx.inputPuller(), Ends.socketOutput(sockets.output), ctx);
  }
}
