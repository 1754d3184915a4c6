package io.xfernode.node.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.xfernode.transport.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data port (SPEC 1.5): the one port that every pool's connections arrive on. Connection
 * pools are not built yet, so for now it holds the port, by the same port rule as the other
 * listeners, and {@code xfer.nodes} shows it; a connection that arrives is closed at once, because
 * no pool exists to take it.
 */
public final class DataPort implements Listener {

  private static final Logger log = LoggerFactory.getLogger(DataPort.class);

  private final NetServer server;

  private DataPort(NetServer server) {
    this.server = server;
  }

  /** @param tls {@code data.tls}, or null for cleartext */
  public static DataPort create(Vertx vertx, TlsConfig tls) {
    NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
    if (tls != null) {
      tls.applyTo(options);
    }
    NetServer server = vertx.createNetServer(options).connectHandler(socket -> {
      log.debug("data port: closing the connection from {}: no connection pool is defined to take it",
        socket.remoteAddress());
      socket.close();
    });
    return new DataPort(server);
  }

  @Override
  public Future<Integer> listen(String host, int port) {
    return server.listen(port, host).map(NetServer::actualPort);
  }

  @Override
  public Future<Void> close() {
    return server.close();
  }
}
