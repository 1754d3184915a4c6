package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.transport.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A node's side of every pool (SPEC 1.5): the data port that peers' connections arrive on, the
 * connections it keeps to each peer (between {@code minPerPeer} and {@code maxPerPeer}, idle ones closed
 * after {@code idleTimeout}), senders that open channels on them and receivers that expect a transfer by
 * its token. All its state lives on one context; its methods may be called from any thread and answer
 * on that context.
 */
public final class Pools {

  private static final Logger log = LoggerFactory.getLogger(Pools.class);
  static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  private record Expected(byte[] token, Inbound inbound) {
  }

  private final Vertx vertx;
  private final Context context;
  private final String node;
  private final Function<String, Future<SocketAddress>> peers;
  private final TlsConfig tls;
  private final Map<String, PoolDef> defs = new LinkedHashMap<>();
  private final Map<String, List<PoolConnection>> links = new HashMap<>();
  /** Connections being opened, by pool and peer. */
  private final Map<String, List<Future<PoolConnection>>> connecting = new HashMap<>();
  private final Map<String, Expected> expected = new HashMap<>();
  private NetServer server;
  private NetClient plainClient;
  private NetClient tlsClient;
  private long sweeper = -1;
  private boolean closed;

  /**
   * @param peers the data address ({@code data.host}, {@code data.port}) of a node, by id
   * @param tls   {@code data.tls}, or null: a pool with {@code tls: true} is then refused; when set, the
   *              data port and every pool connection use it
   */
  public Pools(Vertx vertx, String node, Function<String, Future<SocketAddress>> peers, TlsConfig tls) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.node = node;
    this.peers = peers;
    this.tls = tls;
    context.runOnContext(v -> sweeper = vertx.setPeriodic(1000, id -> closeIdle()));
  }

  /** The context every connection, channel, sender and receiver of these pools lives on. */
  public Context context() {
    return context;
  }

  private <T> Future<T> onContext(java.util.concurrent.Callable<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.call().onComplete(p);
      } catch (Exception e) {
        p.fail(e);
      }
    });
    return p.future();
  }

  // ---- definitions

  public Future<Void> define(PoolDef def) {
    return onContext(() -> {
      if (def.tls() && tls == null) {
        return Future.failedFuture(XferException.badRequest("pools." + def.name() + ".tls",
          "the pool wants TLS but data.tls is not configured"));
      }
      defs.put(def.name(), def);
      return Future.succeededFuture();
    });
  }

  /** Removes a pool: its connections close, and the transfers on them fail with 503. */
  public Future<Void> remove(String name) {
    return onContext(() -> {
      if (defs.remove(name) == null) {
        return Future.failedFuture(XferException.notFound("name", "no pool \"" + name + "\""));
      }
      links.entrySet().stream().filter(e -> e.getKey().startsWith(name + "|"))
        .flatMap(e -> new ArrayList<>(e.getValue()).stream()).toList()
        .forEach(c -> c.close("pool " + name + " was removed"));
      return Future.succeededFuture();
    });
  }

  /** Every pool with its open connections per peer. */
  public Future<JsonArray> list() {
    return onContext(() -> {
      JsonArray out = new JsonArray();
      for (PoolDef def : defs.values()) {
        JsonObject peersOf = new JsonObject();
        links.forEach((key, conns) -> {
          if (key.startsWith(def.name() + "|") && !conns.isEmpty()) {
            peersOf.put(key.substring(def.name().length() + 1), new JsonObject().put("connections", conns.size())
              .put("channels", conns.stream().mapToInt(PoolConnection::channelCount).sum()));
          }
        });
        out.add(def.toJson().put("peers", peersOf));
      }
      return Future.succeededFuture(out);
    });
  }

  // ---- the data port

  /** Listens for peers' connections; @return the port bound */
  public Future<Integer> listen(String host, int port) {
    return onContext(() -> {
      NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
      if (tls != null) {
        tls.applyTo(options);
      }
      server = vertx.createNetServer(options).connectHandler(this::accepted);
      return server.listen(port, host).map(NetServer::actualPort);
    });
  }

  private void accepted(NetSocket socket) {
    PoolConnection c = PoolConnection.accept(context, socket, this::refusal, node, this::opened);
    long timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> c.close("no HELLO within " + HANDSHAKE_TIMEOUT_MS + " ms"));
    c.established().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        track(c);
        log.debug("{}: accepted", c.describe());
      }
    });
  }

  private String refusal(Frame.Hello hello) {
    if (hello.version() != Frame.VERSION) {
      return "protocol version " + hello.version() + " is not spoken here (only " + Frame.VERSION + ")";
    }
    PoolDef def = defs.get(hello.pool());
    if (def == null) {
      return "unknown pool \"" + hello.pool() + "\"";
    }
    List<PoolConnection> conns = links.getOrDefault(key(def.name(), hello.node()), List.of());
    if (conns.size() >= def.maxPerPeer()) {
      return "pool " + def.name() + " already has " + conns.size() + " connections with " + hello.node();
    }
    return null;
  }

  // ---- sending

  /**
   * Opens a channel for stream {@code stream} of {@code streams} of {@code transfer} to {@code peer}, on the
   * pool's least busy connection to it (connecting a new one while under {@code maxPerPeer}).
   * Completes once the receiver accepted it.
   */
  public Future<Outbound> open(String pool, String peer, String transfer, int stream, int streams, byte[] token) {
    return onContext(() -> connection(pool, peer).compose(c -> {
      Outbound out = new Outbound(c, transfer, stream, streams, token, 0);
      return out.opened().map(out);
    }));
  }

  private Future<PoolConnection> connection(String pool, String peer) {
    PoolDef def = defs.get(pool);
    if (def == null) {
      return Future.failedFuture(XferException.notFound("options.pool", "no pool \"" + pool + "\""));
    }
    String key = key(pool, peer);
    List<PoolConnection> conns = links.getOrDefault(key, List.of());
    List<Future<PoolConnection>> opening = connecting.getOrDefault(key, List.of());
    PoolConnection best = conns.stream().filter(PoolConnection::isOpen)
      .min(Comparator.comparingInt(PoolConnection::channelCount)).orElse(null);
    int count = conns.size() + opening.size();
    for (int i = count + 1; i < def.minPerPeer(); i++) {
      connect(def, peer).onFailure(t -> log.debug("pool {}: a connection to {} failed: {}", pool, peer, t.getMessage()));
    }
    if (best != null && (best.channelCount() == 0 || count >= def.maxPerPeer())) {
      return Future.succeededFuture(best);
    }
    if (count >= def.maxPerPeer()) {
      // every connection the pool allows is being opened: take the first that is
      return opening.get(0);
    }
    return connect(def, peer).recover(t -> best != null ? Future.succeededFuture(best) : Future.failedFuture(t));
  }

  private Future<PoolConnection> connect(PoolDef def, String peer) {
    String key = key(def.name(), peer);
    Future<PoolConnection> opened = peers.apply(peer)
      .compose(address -> client(def).connect(address))
      .compose(socket -> {
        PoolConnection c = PoolConnection.connect(context, socket, def.name(), node, peer, this::opened);
        long timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> c.close("no WELCOME within "
          + HANDSHAKE_TIMEOUT_MS + " ms"));
        return c.established().onComplete(ar -> vertx.cancelTimer(timer));
      })
      .recover(t -> Future.failedFuture(t instanceof XferException ? t : new XferException(ErrorCode.UNAVAILABLE,
        "pool " + def.name() + ": cannot connect to " + peer + ": " + t.getMessage())));
    connecting.computeIfAbsent(key, k -> new ArrayList<>()).add(opened);
    return opened.onComplete(ar -> {
      List<Future<PoolConnection>> list = connecting.get(key);
      if (list != null) {
        list.remove(opened);
      }
      if (ar.succeeded()) {
        track(ar.result());
        log.debug("{}: connected", ar.result().describe());
      }
    });
  }

  /** With {@code data.tls} every pool's connections use TLS: the data port speaks nothing else. */
  private NetClient client(PoolDef def) {
    if (tls != null) {
      if (tlsClient == null) {
        tlsClient = vertx.createNetClient(tls.applyTo(new NetClientOptions().setTcpNoDelay(true)
          .setConnectTimeout(10_000)));
      }
      return tlsClient;
    }
    if (plainClient == null) {
      plainClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000));
    }
    return plainClient;
  }

  private void track(PoolConnection c) {
    String key = key(c.pool(), c.peer());
    links.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
    c.closeHandler(gone -> {
      List<PoolConnection> conns = links.get(key);
      if (conns != null) {
        conns.remove(gone);
      }
    });
    if (closed) {
      c.close("the node is stopping");
    }
  }

  // ---- receiving

  /**
   * Expects {@code transfer}'s {@code streams} channels, each carrying {@code token}, on pool {@code pool};
   * its bytes come out of the returned stream in order. A DATA_START with another token is refused.
   */
  public Future<Inbound> expect(String pool, String transfer, byte[] token, int streams) {
    return onContext(() -> {
      PoolDef def = defs.get(pool);
      if (def == null) {
        return Future.failedFuture(XferException.notFound("options.pool", "no pool \"" + pool + "\""));
      }
      if (expected.containsKey(transfer)) {
        return Future.failedFuture(XferException.conflict("id", "transfer " + transfer + " is expected already"));
      }
      Inbound in = new Inbound(transfer, streams, def.window(), () -> expected.remove(transfer));
      expected.put(transfer, new Expected(token.clone(), in));
      return Future.succeededFuture(in);
    });
  }

  private void opened(PoolConnection c, Frame.DataStart start) {
    Expected e = expected.get(start.transfer());
    if (e == null || !MessageDigest.isEqual(e.token(), start.token())) {
      log.debug("{}: refused channel {} for {}: unknown transfer or token", c.describe(), start.channel(),
        start.transfer());
      c.send(new Frame.DataNo(start.channel(), "unknown transfer or token"));
      return;
    }
    e.inbound().accept(c, start);
  }

  // ---- housekeeping

  private void closeIdle() {
    long now = System.nanoTime();
    links.forEach((key, conns) -> {
      PoolDef def = defs.get(key.substring(0, key.indexOf('|')));
      if (def == null) {
        return;
      }
      List<PoolConnection> idle = new ArrayList<>(conns.stream()
        .filter(c -> now - c.idleSince() > def.idleTimeout().toNanos()).toList());
      int removable = conns.size() - def.minPerPeer();
      idle.sort(Comparator.comparingLong(PoolConnection::idleSince));
      for (int i = 0; i < removable && i < idle.size(); i++) {
        idle.get(i).close("idle for " + def.idleTimeout());
      }
    });
  }

  /** Closes the data port and every connection; transfers on them fail with 503. */
  public Future<Void> close() {
    return onContext(() -> {
      closed = true;
      vertx.cancelTimer(sweeper);
      links.values().stream().flatMap(l -> new ArrayList<>(l).stream()).toList()
        .forEach(c -> c.close("the node is stopping"));
      new ArrayList<>(expected.values()).forEach(e -> e.inbound().abort("the node is stopping"));
      List<Future<?>> closing = new ArrayList<>();
      if (server != null) {
        closing.add(server.close());
      }
      if (plainClient != null) {
        closing.add(plainClient.close());
      }
      if (tlsClient != null) {
        closing.add(tlsClient.close());
      }
      return Future.join(closing).mapEmpty();
    });
  }

  private static String key(String pool, String peer) {
    return pool + "|" + peer;
  }
}
