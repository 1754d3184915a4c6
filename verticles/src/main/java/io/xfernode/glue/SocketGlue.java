package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.MappedWriteStream;
import io.xfernode.transport.Connection;
import io.xfernode.transport.ReadOp;

/**
 * Glue between PUSH and a direct hop's TCP side, on the event loop: a read of the whole connection into
 * the downstream, or a write of the upstream into the connection, with backpressure both ways and no
 * thread. The write is done once every byte reached the kernel; a failed or cancelled one resets the
 * connection, so the peer never mistakes it for a clean end.
 */
final class SocketGlue extends GlueBase {

  SocketGlue(Mechanism in, Mechanism out, String description) {
    super(in, out, Cost.of(1, 0), description);
  }

  static SocketGlue to(Mechanism tcp) {
    return new SocketGlue(Mechanism.PUSH, tcp, TcpEnd.sending(tcp) + " and writes the upstream's bytes into it");
  }

  static SocketGlue from(Mechanism tcp) {
    return new SocketGlue(tcp, Mechanism.PUSH, "on the event loop: "
      + (tcp == Mechanism.TCP_LISTEN ? "listens, takes the upstream's connection" : "connects to the upstream's listener")
      + " and reads it to its end into the downstream");
  }

  @Override
  public Element create() {
    return new Run();
  }

  private final class Run extends Element {

    private final TcpEnd tcp = out.crossesNodes() ? new TcpEnd(out, false) : new TcpEnd(in, true);

    @Override
    public Future<Void> setup(ElementContext ctx) {
      return tcp.setup(ctx);
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return tcp.open(ctx).compose(c -> out.crossesNodes() ? send(ctx, c) : receive(ctx, c))
        .onFailure(tcp::abort);
    }

    private Future<Void> send(ElementContext ctx, Connection c) {
      WriteStream<Buffer> into = MappedWriteStream.counting(c.write(ReadOp.UNBOUNDED, null), ctx::progress);
      return ctx.inputStream().pipe().endOnFailure(false).to(into).compose(v -> c.close());
    }

    private Future<Void> receive(ElementContext ctx, Connection c) {
      return c.readAllInto(MappedWriteStream.counting(ctx.outputStream(), ctx::progress)).compose(v -> c.close());
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      tcp.abort(reason);
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      return tcp.release();
    }
  }
}
