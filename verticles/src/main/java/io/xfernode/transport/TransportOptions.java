package io.xfernode.transport;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.time.Duration;
import java.util.Set;

/**
 * A transport as written in a spec or in config (SPEC 1.3): protocol, address, socket sizes, TLS, connect
 * timeout and retry. The element that uses it names its own keys' path in every error.
 *
 * <pre>
 * {"transport": "tcp"|"tls+tcp"|"udp", "host": "…", "port": 7300, "backlog": 16,
 *  "sendBuffer": 1048576, "receiveBuffer": 1048576, "tls": {…}, "connectTimeout": "PT10S",
 *  "retry": {"until": "PT30S", "initialDelay": "PT0.1S", "maxDelay": "PT2S"}}
 * </pre>
 */
public record TransportOptions(Protocol protocol, String host, int port, int backlog, int sendBuffer,
                               int receiveBuffer, TlsConfig tls, Duration connectTimeout, Retry retry) {

  /** The keys this parses; elements add their own. */
  public static final Set<String> KEYS = JsonFields.keys("transport", "host", "port", "backlog", "sendBuffer",
    "receiveBuffer", "tls", "connectTimeout", "retry");

  public static final int DEFAULT_BACKLOG = 16;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * @param defaultProtocol the protocol when {@code transport} is absent
   * @param hostRequired    whether {@code host} must be given (a connector's peer); else it defaults to
   *                        {@code defaultHost}, which may be {@code null} for "the node's host"
   */
  public static TransportOptions parse(JsonFields f, Protocol defaultProtocol, boolean hostRequired,
                                       String defaultHost) {
    Protocol protocol = f.has("transport") ? Protocol.parse(f.field("transport"), f.string("transport"))
      : defaultProtocol;
    String host = hostRequired ? f.string("host") : f.string("host", defaultHost);
    if (host != null && !host.matches("[A-Za-z0-9.:_%\\[\\]-]{1,253}")) {
      throw XferException.badRequest(f.field("host"), "not a host name or address: " + JsonFields.describe(host));
    }
    int port = f.integer("port", hostRequired ? -1 : 0, hostRequired ? 1 : 0, 65535);
    if (port < 0) {
      throw XferException.badRequest(f.field("port"), "is required");
    }
    TlsConfig tls = TlsConfig.fromJson(f.field("tls"), f.object("tls"));
    if (tls != null && !protocol.tls()) {
      throw XferException.badRequest(f.field("tls"), "is only for transport tls+tcp, not " + protocol);
    }
    Duration connectTimeout = f.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT);
    if (connectTimeout.isZero() || connectTimeout.toMillis() > Integer.MAX_VALUE) {
      throw XferException.badRequest(f.field("connectTimeout"), "must be positive");
    }
    return new TransportOptions(protocol, host, port,
      f.integer("backlog", DEFAULT_BACKLOG, 1, 65535),
      f.integer("sendBuffer", 0, 0, 64 << 20),
      f.integer("receiveBuffer", 0, 0, 64 << 20),
      tls, connectTimeout, Retry.fromJson(f.field("retry"), f.object("retry")));
  }

  /** @return these options with {@code host}, e.g. the node's host for a listener that named none */
  public TransportOptions withHost(String host) {
    return new TransportOptions(protocol, host, port, backlog, sendBuffer, receiveBuffer, tls, connectTimeout, retry);
  }

  /** Options for a server of this transport; TLS without a certificate to present fails here, closed. */
  public NetServerOptions serverOptions() {
    NetServerOptions o = new NetServerOptions().setHost(host).setPort(port).setAcceptBacklog(backlog)
      .setTcpNoDelay(true);
    sizes(o);
    if (protocol.tls()) {
      if (tls == null || !tls.hasKeyCert()) {
        throw XferException.badRequest("tls", "tls+tcp needs a keyStore or pemKeyCert to listen with");
      }
      tls.applyTo(o);
    }
    return o;
  }

  public NetClientOptions clientOptions() {
    NetClientOptions o = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout((int) connectTimeout.toMillis());
    sizes(o);
    if (protocol.tls()) {
      (tls == null ? TlsConfig.fromJson("tls", new JsonObject()) : tls).applyTo(o);
    }
    return o;
  }

  private void sizes(io.vertx.core.net.TCPSSLOptions o) {
    if (sendBuffer > 0) {
      o.setSendBufferSize(sendBuffer);
    }
    if (receiveBuffer > 0) {
      o.setReceiveBufferSize(receiveBuffer);
    }
  }

  /** @return e.g. {@code tls+tcp 10.0.0.5:7300} */
  public String describe() {
    return protocol + " " + host + ":" + port;
  }
}
