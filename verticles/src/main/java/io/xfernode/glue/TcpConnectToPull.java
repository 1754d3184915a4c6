package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/** TCP_CONNECT → PULL: the first pull connects to the upstream's listener, and each pull reads the socket. */
final class TcpConnectToPull extends PullOfferingGlue {

  TcpConnectToPull() {
    super(Mechanism.TCP_CONNECT, Cost.of(1, 0), "the first pull connects to the upstream's listener, and each pull reads the socket");
  }

  @Override
  protected PullSource open(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.socketInput(sockets.input, ctx);
  }
}
