package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;

/** TCP_CONNECT → PUSH: on the event loop: connects to the upstream's listener and pipes the socket into the ring. */
final class TcpConnectToPush extends NetGlue {

  TcpConnectToPush() {
    super(Mechanism.TCP_CONNECT, Mechanism.PUSH, Cost.of(1, 0), "on the event loop: connects to the upstream's listener and pipes the socket into the ring");
  }
}
