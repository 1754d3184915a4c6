package io.xfernode.sink;

import io.vertx.core.Future;
import io.xfernode.element.ElementContext;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.MappedWriteStream;
import io.xfernode.transport.TcpElementType;
import io.xfernode.transport.ReadOp;
import io.xfernode.transport.TcpPeer;
import io.xfernode.transport.WriteOp;

import java.util.List;

/**
 * {@code tcp} sink: writes the bytes to one TCP (or TLS) connection, in {@code mode} listen or connect. A
 * completed sink closes cleanly (or, with {@code halfClose}, shuts its output down and waits for the peer
 * to close); a cancelled or failed one aborts with a reset, so the peer never mistakes it for a clean end.
 */
public final class TcpSink extends TcpElementType {

  public TcpSink() {
    super(Role.SINK);
  }

  @Override
  public List<MechPair> pairs(TcpPeer.Options options) {
    return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(TcpPeer.Options options) {
    return "writes a connection: " + options.describe();
  }

  /**
   * A write of the whole input into the connection; it is done only once every byte reached the kernel.
   * Then the output is shut down (after those bytes, never under them) and the connection closes cleanly.
   */
  @Override
  protected Future<Void> run(TcpPeer peer, ElementContext ctx) {
    return peer.open(ctx).compose(connection -> {
      WriteOp write = connection.write(ReadOp.UNBOUNDED, null);
      return ctx.inputStream().pipe().endOnFailure(false).to(MappedWriteStream.counting(write, ctx::progress));
    }).compose(v -> peer.finish(ctx));
  }
}
