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
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.Endpoint;
import io.xfernode.transport.ChildSocket;
import io.xfernode.transport.Connection;
import io.xfernode.transport.ParentSocket;
import io.xfernode.transport.Protocol;
import io.xfernode.transport.ReadOp;
import io.xfernode.transport.SocketControl;
import io.xfernode.transport.StreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;

/**
 * The TCP side of a glue on a direct hop (TCP_LISTEN or TCP_CONNECT). The side that listens does so at
 * setup, registered as a parent with the node's listeners, and publishes where; the side that connects
 * does so at start, to where its peer published, and registers as the listener's child, possibly from
 * another node. The connecting side presents the transfer's token first; the listening side counts no
 * byte before it has read a right one, and resets a connection that presents none or a wrong one.
 */
final class TcpEnd {

  private static final Logger log = LoggerFactory.getLogger(TcpEnd.class);

  /** How long an accepted connection has to present the token. */
  /** @return how a glue that sends into a hop of {@code tcp} meets its peer, for its description */
  static String sending(Mechanism tcp) {
    return "on the event loop: " + (tcp == Mechanism.TCP_LISTEN ? "connects to the downstream's listener"
      : "listens, takes the downstream's connection");
  }

  static final long TOKEN_WAIT_MS = 10_000;
  static final int CONNECT_TIMEOUT_MS = 10_000;

  private final boolean input;
  private final boolean listens;
  private final Promise<Connection> accepted = Promise.promise();
  private NetServer server;
  private NetClient client;
  private ParentSocket parent;
  private ChildSocket child;
  private Connection connection;

  /** @param input whether this is the glue's input side (else its output side) */
  TcpEnd(Mechanism mechanism, boolean input) {
    this.input = input;
    this.listens = input ? mechanism == Mechanism.TCP_LISTEN : mechanism == Mechanism.TCP_CONNECT;
  }

  Future<Void> setup(ElementContext ctx) {
    if (!listens) {
      return Future.succeededFuture();
    }
    server = ctx.vertx().createNetServer(new NetServerOptions().setTcpNoDelay(true));
    server.connectHandler(s -> admit(ctx, s));
    return server.listen(0, ctx.env().host()).compose(srv -> {
      SocketAddress where = SocketAddress.inetSocketAddress(srv.actualPort(), ctx.env().host());
      return ctx.sockets().listen("tcp " + where, "transfer " + ctx.transferId() + " / " + ctx.name()
        + (input ? " input" : " output")).onSuccess(p -> {
          parent = p;
          Endpoint endpoint = new Endpoint(where, p.address());
          if (input) {
            ctx.listenInput(endpoint);
          } else {
            ctx.listenOutput(endpoint);
          }
        });
    }).mapEmpty();
  }

  /** An accepted connection becomes the peer only once it presented the transfer's token. */
  private void admit(ElementContext ctx, NetSocket socket) {
    Connection c = Connection.of(socket, Protocol.TCP, true);
    if (accepted.future().isComplete()) {
      c.abort();
      return;
    }
    byte[] token = ctx.hopToken();
    Buffer got = Buffer.buffer(token.length);
    long timer = ctx.vertx().setTimer(TOKEN_WAIT_MS, t -> c.abort());
    c.read(token.length, (event, op, data) -> {
      if (event == StreamEvent.READ_READY) {
        got.appendBuffer(data);
        return;
      }
      ctx.vertx().cancelTimer(timer);
      if (event == StreamEvent.READ_COMPLETE && MessageDigest.isEqual(got.getBytes(), token)
        && accepted.tryComplete(c)) {
        connection = c;
        return;
      }
      log.info("transfer {}: {} reset a connection from {} that did not present the transfer's token",
        ctx.transferId(), ctx.name(), socket.remoteAddress());
      c.abort();
    });
  }

  /** The peer's connection, accepted or made; the token has been checked or sent. */
  Future<Connection> open(ElementContext ctx) {
    if (listens) {
      return accepted.future();
    }
    client = ctx.vertx().createNetClient(new NetClientOptions().setTcpNoDelay(true)
      .setConnectTimeout(CONNECT_TIMEOUT_MS));
    return (input ? ctx.inputPeer() : ctx.outputPeer()).compose(peer -> client.connect(peer.address()).map(s -> {
      connection = Connection.of(s, Protocol.TCP, false);
      connection.write(ReadOp.UNBOUNDED, null).write(Buffer.buffer(ctx.hopToken()));
      if (peer.parent() != null) {
        child = ChildSocket.open(ctx.vertx(), peer.parent(), ctx.env().nodeId(), connection.describe(),
          new SocketControl(connection));
      }
      return connection;
    })).recover(t -> Future.failedFuture(t instanceof XferException ? t : new XferException(ErrorCode.UNAVAILABLE,
      ctx.name() + ": cannot connect its " + (input ? "input" : "output") + ": " + t.getMessage())));
  }

  /** The transfer failed or was cancelled: the connection is reset, and the listener closed. */
  void abort(Throwable reason) {
    accepted.tryFail(reason);
    if (child != null) {
      child.error(reason);
    }
    if (connection != null) {
      connection.abort();
    }
    if (parent != null) {
      parent.close(String.valueOf(reason.getMessage()), true);
    }
  }

  Future<Void> release() {
    if (child != null) {
      child.closed();
    }
    Future<Void> p = parent == null ? Future.succeededFuture() : parent.close("the glue is done", false);
    Future<Void> s = server == null ? p : p.eventually(server::close);
    Future<Void> c = client == null ? Future.succeededFuture() : client.close();
    return Future.join(s, c).mapEmpty();
  }
}
