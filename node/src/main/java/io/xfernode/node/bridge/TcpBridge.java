package io.xfernode.node.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.eventbus.bridge.tcp.TcpEventBusBridge;
import io.xfernode.api.Addresses;
import io.xfernode.node.net.Listener;
import io.xfernode.transport.TlsConfig;

import java.lang.reflect.Field;

/**
 * The stock Vert.x TCP event-bus bridge, limited to the public addresses (SPEC 2.1) in both directions.
 * Every connection also gets a {@link FrameGuard} (limits, well-formed frames, tokens and roles through
 * {@link FrameGate}), and the bound port is read back so that port 0 works.
 */
public final class TcpBridge implements Listener {

  /** The name Vert.x gives its handler in a connection's pipeline. */
  private static final String VERTX_HANDLER = "handler";

  private final TcpEventBusBridge bridge;
  private final NetServer server;

  private TcpBridge(TcpEventBusBridge bridge, NetServer server) {
    this.bridge = bridge;
    this.server = server;
  }

  /** The permitted addresses: requests to the public API in, transfer events out. */
  public static BridgeOptions publicOptions() {
    BridgeOptions options = new BridgeOptions();
    for (String address : Addresses.PUBLIC_REQUESTS) {
      options.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    options.addInboundPermitted(new PermittedOptions().setAddressRegex(Addresses.DATA_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.PUBLIC_EVENTS_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.CLIENT_REGEX));
    return options;
  }

  /**
   * Creates the bridge; it does not listen yet.
   *
   * @param maxFrameBytes the largest frame a client may send; a larger one closes its connection
   */
  public static TcpBridge create(Vertx vertx, TlsConfig tls, int maxFrameBytes, FrameGate gate) {
    NetServerOptions serverOptions = new NetServerOptions().setTcpNoDelay(true);
    if (tls != null) {
      tls.applyTo(serverOptions);
    }
    TcpEventBusBridge bridge = TcpEventBusBridge.create(vertx, publicOptions(), serverOptions);
    NetServer server = serverOf(bridge);
    Handler<NetSocket> stock = server.connectHandler();
    server.connectHandler(socket -> {
      // after TLS (when there is TLS), before Vert.x's own handler
      ((NetSocketInternal) socket).channelHandlerContext().pipeline()
        .addBefore(VERTX_HANDLER, "xfer-frame-guard", new FrameGuard(maxFrameBytes, gate));
      stock.handle(socket);
    });
    return new TcpBridge(bridge, server);
  }

  // The stock bridge exposes neither its bound port nor its connections; both live on its NetServer.
  private static NetServer serverOf(TcpEventBusBridge bridge) {
    try {
      Field field = bridge.getClass().getDeclaredField("server");
      field.setAccessible(true);
      return (NetServer) field.get(bridge);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("unsupported vertx-tcp-eventbus-bridge version: no NetServer field", e);
    }
  }

  @Override
  public Future<Integer> listen(String host, int port) {
    return bridge.listen(port, host).map(b -> server.actualPort());
  }

  @Override
  public Future<Void> close() {
    return bridge.close();
  }
}
