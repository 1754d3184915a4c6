package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** TCP_LISTEN → CHANNEL: a worker thread listens, accepts the upstream's connection and writes the socket's bytes to the downstream's channel (transferFrom into a file). */
final class TcpListenToChannel extends BlockingGlue {

  TcpListenToChannel() {
    super(Mechanism.TCP_LISTEN, Mechanism.CHANNEL, Cost.of(1, 1), "a worker thread listens, accepts the upstream's connection and writes the socket's bytes to the downstream's channel (transferFrom into a file)");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.socketToChannel(ctx, sockets.input);
  }
}
