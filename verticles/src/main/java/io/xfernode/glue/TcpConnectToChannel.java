package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** TCP_CONNECT → CHANNEL: a worker thread connects to the upstream's listener and writes the socket's bytes to the downstream's channel (transferFrom into a file). */
final class TcpConnectToChannel extends BlockingGlue {

  TcpConnectToChannel() {
    super(Mechanism.TCP_CONNECT, Mechanism.CHANNEL, Cost.of(1, 1), "a worker thread connects to the upstream's listener and writes the socket's bytes to the downstream's channel (transferFrom into a file)");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.socketToChannel(ctx, sockets.input);
  }
}
