package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;

/** CHANNEL → TCP_LISTEN: a worker thread connects to the downstream's listener and sends the file with transferTo (sendfile: no copy in user space). */
final class ChannelToTcpListen extends BlockingGlue {

  ChannelToTcpListen() {
    super(Mechanism.CHANNEL, Mechanism.TCP_LISTEN, Cost.of(0, 1), "a worker thread connects to the downstream's listener and sends the file with transferTo (sendfile: no copy in user space)");
  }

  @Override
  protected long move(ElementContext ctx, GlueSockets sockets) throws Exception {
    return Ends.fileToSocket(ctx, sockets.output);
  }
}
