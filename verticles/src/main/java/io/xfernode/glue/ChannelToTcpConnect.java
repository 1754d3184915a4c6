package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** CHANNEL → TCP_CONNECT: a worker thread listens, accepts the downstream's connection and sends the file with transferTo (sendfile: no copy in user space). */
final class ChannelToTcpConnect extends BlockingGlue {

  ChannelToTcpConnect() {
    super(Mechanism.CHANNEL, Mechanism.TCP_CONNECT, Cost.of(0, 1), "a worker thread listens, accepts the downstream's connection and sends the file with transferTo (sendfile: no copy in user space)");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.fileToSocket(ctx, sockets.output);
  }
}
