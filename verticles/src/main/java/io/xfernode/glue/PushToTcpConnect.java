package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;

/** PUSH → TCP_CONNECT: on the event loop: listens, accepts the downstream's connection and pipes the ring into the socket. */
final class PushToTcpConnect extends NetGlue {

  PushToTcpConnect() {
    super(Mechanism.PUSH, Mechanism.TCP_CONNECT, Cost.of(1, 0), "on the event loop: listens, accepts the downstream's connection and pipes the ring into the socket");
  }
}
