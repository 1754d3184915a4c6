package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;

/** TCP_LISTEN → PUSH: on the event loop: listens, accepts the upstream's connection and pipes the socket into the ring. */
final class TcpListenToPush extends NetGlue {

  TcpListenToPush() {
    super(Mechanism.TCP_LISTEN, Mechanism.PUSH, Cost.of(1, 0), "on the event loop: listens, accepts the upstream's connection and pipes the socket into the ring");
  }
}
