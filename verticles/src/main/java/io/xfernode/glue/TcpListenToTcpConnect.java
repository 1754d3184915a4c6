package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** TCP_LISTEN → TCP_CONNECT: a worker thread listens on both sides, accepts both connections and relays the bytes. */
final class TcpListenToTcpConnect extends BlockingGlue {

  TcpListenToTcpConnect() {
    super(Mechanism.TCP_LISTEN, Mechanism.TCP_CONNECT, Cost.of(1, 1), "a worker thread listens on both sides, accepts both connections and relays the bytes");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Copy.loop(Ends.socketInput(sockets.input, ctx), Ends.socketOutput(sockets.output), ctx);
  }
}
