package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.Endpoint;
import io.xfernode.transport.BlockingSockets;
import io.xfernode.transport.ChildSocket;
import io.xfernode.transport.Connector;
import io.xfernode.transport.ParentSocket;
import io.xfernode.transport.Protocol;
import io.xfernode.transport.SocketControl;
import io.xfernode.transport.NetSockets;

/**
 * Glue between PUSH and a TCP mechanism, entirely on the event loop: a Vert.x socket is piped to or from
 * the ring, with backpressure both ways and no thread of its own. A failed or cancelled pipe resets the
 * connection, so the peer never mistakes it for a clean end.
 */
abstract class NetGlue extends GlueBase {


  NetGlue(Mechanism in, Mechanism out, Cost cost, String description) {
    super(in, out, cost, description);
  }


  @Override
  public Element create() {
    return new Run();
  }

  private boolean listens() {
    return in == Mechanism.TCP_LISTEN || out == Mechanism.TCP_CONNECT;
  }

  private final class Run extends Element {

    private final Promise<NetSocket> accepted = Promise.promise();
    private NetServer server;
    private NetClient client;
    private NetSocket socket;
    private ParentSocket parent;
    private ChildSocket child;

    @Override
    public Future<Void> setup(ElementContext ctx) {
      if (!listens()) {
        return Future.succeededFuture();
      }
      server = ctx.vertx().createNetServer(new NetServerOptions().setTcpNoDelay(true).setAcceptBacklog(1));
      server.connectHandler(s -> {
        s.pause(); // nothing may be read before the pipe is in place
        if (!accepted.tryComplete(s)) {
          NetSockets.abort(s); // a glue serves exactly one peer
        }
      });
      return server.listen(0, ctx.env().host()).compose(srv -> {
        SocketAddress where = SocketAddress.inetSocketAddress(srv.actualPort(), ctx.env().host());
        return ctx.sockets().listen("tcp " + where, "transfer " + ctx.transferId() + " / " + ctx.name())
          .onSuccess(p -> {
            parent = p;
            Endpoint endpoint = new Endpoint(where, p.address());
            if (in == Mechanism.TCP_LISTEN) {
              ctx.listenInput(endpoint);
            } else {
              ctx.listenOutput(endpoint);
            }
          });
      }).mapEmpty();
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      // the server stays open until release: closing a Vert.x server closes the connections it accepted
      return connection(ctx).compose(s -> {
        socket = s;
        // between two glues the connecting side registers, from its own node, as the listener's child
        if (peer != null && peer.parent() != null) {
          child = ChildSocket.open(ctx.vertx(), peer.parent(), ctx.env().nodeId(),
            Connector.describe(Protocol.TCP, s, false), new SocketControl(s));
        }
        return out.crossesNodes()
          ? pipe(ctx.inputStream(), s, ctx)
          : pipe(s, ctx.outputStream(), ctx);
      });
    }

    private Endpoint peer;

    private Future<NetSocket> connection(ElementContext ctx) {
      if (listens()) {
        return accepted.future();
      }
      client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true)
        .setConnectTimeout(BlockingSockets.CONNECT_TIMEOUT_MS));
      return (in.crossesNodes() ? ctx.inputPeer() : ctx.outputPeer()).compose(e -> {
        peer = e;
        return client.connect(e.address());
      });
    }

    private Future<Void> pipe(ReadStream<Buffer> from, WriteStream<Buffer> to, ElementContext ctx) {
      return from.pipe().endOnFailure(false).to(to).onFailure(t -> {
        if (child != null) {
          child.error(t);
        }
        NetSockets.abort(socket);
      });
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      accepted.tryFail(reason);
      NetSockets.abort(socket);
      if (parent != null) {
        parent.close(String.valueOf(reason.getMessage()), true);
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      if (child != null) {
        child.closed();
      }
      Future<Void> p = parent == null ? Future.succeededFuture() : parent.close("the glue is done", false);
      Future<Void> s = server == null ? p : p.eventually(server::close);
      Future<Void> c = client == null ? Future.succeededFuture() : client.close();
      return Future.join(s, c).mapEmpty();
    }
  }
}
