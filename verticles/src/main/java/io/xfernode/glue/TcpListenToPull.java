package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.PullSource;

/** TCP_LISTEN → PULL: listens; the first pull accepts the upstream's connection, and each pull reads the socket. */
final class TcpListenToPull extends PullOfferingGlue {

  TcpListenToPull() {
    super(Mechanism.TCP_LISTEN, Cost.of(1, 0), "listens; the first pull accepts the upstream's connection, and each pull reads the socket");
  }

  @Override
  protected PullSource open(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.socketInput(sockets.input, ctx);
  }
}
