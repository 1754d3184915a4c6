package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;

/** PUSH → TCP_LISTEN: on the event loop: connects to the downstream's listener and pipes the ring into the socket. */
final class PushToTcpListen extends NetGlue {

  PushToTcpListen() {
    super(Mechanism.PUSH, Mechanism.TCP_LISTEN, Cost.of(1, 0), "on the event loop: connects to the downstream's listener and pipes the ring into the socket");
  }
}
