package io.xfernode.source;

import io.vertx.core.Future;
import io.xfernode.element.ElementContext;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.MappedWriteStream;
import io.xfernode.transport.TcpElementType;
import io.xfernode.transport.TcpPeer;

import java.util.List;

/**
 * {@code tcp} source: the bytes of one TCP (or TLS) connection until its peer ends it. {@code mode: listen}
 * publishes where it listens (the submit's reply and the status carry it under {@code endpoints}) and takes
 * the first connection; {@code mode: connect} connects with retry. A peer that resets the connection
 * fails the transfer: only a clean end of stream completes it.
 */
public final class TcpSource extends TcpElementType {

  public TcpSource() {
    super(Role.SOURCE);
  }

  @Override
  public List<MechPair> pairs(TcpPeer.Options options) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(TcpPeer.Options options) {
    return "reads a connection: " + options.describe();
  }

  /** A read of the whole connection: only a clean end (EOS) completes it; a reset fails it. */
  @Override
  protected Future<Void> run(TcpPeer peer, ElementContext ctx) {
    return peer.open(ctx).compose(connection -> connection
      .readAllInto(MappedWriteStream.counting(ctx.outputStream(), ctx::progress))
      .compose(v -> connection.close().otherwiseEmpty()));
  }
}
