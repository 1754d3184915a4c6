package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** TCP_CONNECT → TCP_LISTEN: a worker thread connects to both neighbours' listeners and relays the bytes. */
final class TcpConnectToTcpListen extends BlockingGlue {

  TcpConnectToTcpListen() {
    super(Mechanism.TCP_CONNECT, Mechanism.TCP_LISTEN, Cost.of(1, 1), "a worker thread connects to both neighbours' listeners and relays the bytes");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Copy.loop(Ends.socketInput(sockets.input, ctx), Ends.socketOutput(sockets.output), ctx);
  }
}
