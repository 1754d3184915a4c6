package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.xfernode.api.JsonFields;
import io.xfernode.element.ElementContext;
import io.xfernode.link.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The one TCP connection of a {@code tcp} source or sink, in {@code mode} listen or connect. Listening, it
 * binds at setup, registers as a parent with the node's listeners and publishes its endpoint (READY, the
 * submit's reply and the status), then takes the first connection as its child and refuses any other. Connecting,
 * it connects at start with retry and backoff. Either way it ends a connection cleanly on success and
 * aborts it (a reset) on failure or cancel.
 */
public final class TcpPeer {

  private static final Logger log = LoggerFactory.getLogger(TcpPeer.class);

  /** How long a finished sink waits for its peer to close before closing anyway. */
  static final long LINGER_MS = 5000;

  /** Keys of a tcp element besides the transport's. */
  public static final Set<String> KEYS = JsonFields.keys("mode", "halfClose");

  /** @param listen whether the element listens (else it connects); @param halfClose shut down output at the end */
  public record Options(boolean listen, TransportOptions transport, boolean halfClose) {

    public static Options parse(JsonFields f, String defaultHost) {
      boolean listen = "listen".equals(f.choice("mode", "connect", "listen", "connect"));
      TransportOptions t = TransportOptions.parse(f, Protocol.TCP, !listen, defaultHost);
      if (t.protocol() == Protocol.UDP) {
        throw io.xfernode.api.XferException.badRequest(f.field("transport"), "a tcp element takes tcp or tls+tcp");
      }
      if (listen && t.protocol().tls() && (t.tls() == null || !t.tls().hasKeyCert())) {
        throw io.xfernode.api.XferException.badRequest(f.field("tls"),
          "listening with tls+tcp needs a keyStore or pemKeyCert");
      }
      return new Options(listen, t, f.bool("halfClose", false));
    }

    public String describe() {
      return (listen ? "listens on " : "connects to ") + transport.protocol() + " "
        + (transport.host() == null ? "the node's host" : transport.host()) + ":" + transport.port();
    }
  }

  private final Options options;
  private final Promise<NetSocket> accepted = Promise.promise();
  private NetServer server;
  private ParentSocket parent;
  private ChildSocket child;
  private Connection connection;

  public TcpPeer(Options options) {
    this.options = options;
  }

  /** Listens, when in listen mode; the host given defaults to the node's host (the engine resolves it). */
  public Future<Void> setup(ElementContext ctx) {
    if (!options.listen()) {
      return Future.succeededFuture();
    }
    TransportOptions t = options.transport().host() == null
      ? options.transport().withHost(ctx.env().host()) : options.transport();
    server = ctx.vertx().createNetServer(t.serverOptions());
    server.connectHandler(s -> {
      s.pause();
      if (!accepted.tryComplete(s)) {
        log.info("transfer {}: {} refuses a second connection from {}", ctx.transferId(), ctx.name(), s.remoteAddress());
        Connection.of(s, t.protocol(), true).abort();
      }
    });
    return server.listen(t.port(), t.host()).compose(srv -> {
      SocketAddress where = SocketAddress.inetSocketAddress(srv.actualPort(), t.host());
      return ctx.sockets().listen(t.protocol() + " " + where, "transfer " + ctx.transferId() + " / " + ctx.name())
        .onSuccess(p -> {
          parent = p;
          ctx.publish("listen", new Endpoint(where, p.address()).toJson());
        });
    }).mapEmpty();
  }

  /** The connection: accepted (listen) or made with retry (connect); paused, reported in an INFO. */
  public Future<Connection> open(ElementContext ctx) {
    Future<NetSocket> socket = options.listen() ? accepted.future()
      : Connector.connect(ctx.vertx(), options.transport(), ctx.name() + ".host", ctx.env().egress());
    return socket.map(s -> {
      s.pause();
      connection = Connection.of(s, options.transport().protocol(), options.listen());
      if (parent != null) {
        child = ChildSocket.open(ctx.vertx(), parent.address(), ctx.env().nodeId(), connection.describe(),
          new SocketControl(connection));
      }
      ctx.info(new JsonObject().put("connection", connection.describe()));
      return connection;
    });
  }

  /**
   * Ends the output cleanly: once every byte written has reached the kernel, shuts it down (a FIN, or the
   * TLS close_notify) and waits for the peer to close its side before closing the socket. Closing at once
   * could reset a peer that still has bytes to read or a close_notify to answer. With {@code halfClose} it
   * waits as long as the peer needs; without, {@value #LINGER_MS} ms at most.
   */
  public Future<Void> finish(ElementContext ctx) {
    Promise<Void> peerClosed = Promise.promise();
    // the peer's answer is not part of the stream: read to its end (or error) and drop it
    connection.read(ReadOp.UNBOUNDED, (event, op, data) -> {
      if (event.ends()) {
        peerClosed.tryComplete();
      }
    });
    long timer = options.halfClose() ? -1 : ctx.vertx().setTimer(LINGER_MS, t -> peerClosed.tryComplete());
    return connection.shutdownOutput()
      .compose(v -> peerClosed.future())
      .eventually(() -> {
        ctx.vertx().cancelTimer(timer);
        return connection.close().otherwiseEmpty();
      }).onComplete(ar -> closed());
  }

  private void closed() {
    if (child != null) {
      child.closed();
    }
  }

  /** Resets the connection and closes the listener, telling its children to shut down. */
  public void abort(Throwable reason) {
    accepted.tryFail(reason);
    if (child != null) {
      child.error(reason);
    }
    if (connection != null) {
      connection.abort();
    }
    closed();
    if (parent != null) {
      parent.close(String.valueOf(reason.getMessage()), true);
    }
  }

  public Future<Void> release() {
    closed();
    Future<Void> p = parent == null ? Future.succeededFuture() : parent.close("the transfer is over", false);
    return server == null ? p : p.eventually(server::close);
  }
}
