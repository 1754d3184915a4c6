package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.net.NetSocketInternal;
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
import io.xfernode.transport.ChildSocket;
import io.xfernode.transport.ParentSocket;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.transport.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A node's side of every pool (SPEC 1.5): the data port that peers' connections arrive on, the
 * connections it keeps to each peer (between {@code minPerPeer} and {@code maxPerPeer}, idle ones closed
 * after {@code idleTimeout}), the receivers that expect a transfer by its token, and the senders' streams.
 *
 * <p>Each connection lives on an event loop of its own: the data port listens from several contexts at
 * once (Vert.x spreads the accepted connections over them), and each connection this node opens gets a
 * new context. So the streams of one transfer run on several cores. This object's own state is safe to
 * use from any thread.
 */
public final class Pools implements PoolConnection.Owner {

  private static final Logger log = LoggerFactory.getLogger(Pools.class);

  static final long HANDSHAKE_TIMEOUT_MS = 10_000;
  /** Tells apart the random ports of several {@code Pools} in one Vert.x (tests run two nodes in one). */
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORTS = new java.util.concurrent.atomic.AtomicInteger();
  /** How long a DATA_START may wait for its transfer's receiver to be set up on this node. */
  static final long EARLY_WAIT_MS = 15_000;
  /** How many DATA_STARTs may wait so, in all. */
  static final int MAX_EARLY = 1024;

  private final Vertx vertx;
  private final String node;
  private final Function<String, Future<SocketAddress>> addresses;
  private final TlsConfig tls;
  private final NodeKeys keys;
  private final int listeners;
  private final Map<String, PoolDef> defs = new ConcurrentHashMap<>();
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();
  private final Map<String, Receiver> receivers = new ConcurrentHashMap<>();
  private final Map<String, List<Early>> early = new HashMap<>();
  private int earlyCount;
  private final List<NetServer> servers = new ArrayList<>();
  private volatile NetClient client;
  private volatile ParentSocket parent;
  private volatile boolean closed;
  private final long sweeper;

  private record Early(PoolConnection connection, Frame.DataStart start, long timer) {
  }

  /**
   * @param addresses where a node's data port is, by node id
   * @param tls       {@code data.tls}, or null: when set, the data port and every pool connection use it,
   *                  and a pool with {@code tls: true} needs it
   * @param keys      the keys nodes prove who they are with
   * @param listeners how many event loops the data port accepts on
   */
  public Pools(Vertx vertx, String node, Function<String, Future<SocketAddress>> addresses, TlsConfig tls,
               NodeKeys keys, int listeners) {
    this.vertx = vertx;
    this.node = node;
    this.addresses = addresses;
    this.tls = tls;
    this.keys = keys;
    this.listeners = Math.max(1, listeners);
    this.sweeper = vertx.setPeriodic(1000, id -> closeIdle());
  }

  /** As many data-port listeners as Vert.x has event loops by default. */
  public Pools(Vertx vertx, String node, Function<String, Future<SocketAddress>> addresses, TlsConfig tls,
               NodeKeys keys) {
    this(vertx, node, addresses, tls, keys, 2 * Runtime.getRuntime().availableProcessors());
  }

  public String node() {
    return node;
  }

  // ---- definitions

  public Future<Void> define(PoolDef def) {
    if (def.tls() && tls == null) {
      return Future.failedFuture(XferException.badRequest("pools." + def.name() + ".tls",
        "the pool wants TLS but data.tls is not configured"));
    }
    defs.put(def.name(), def);
    return Future.succeededFuture();
  }

  /** @return whether {@code name} is defined on this node */
  public boolean has(String name) {
    return defs.containsKey(name);
  }

  /** Removes a pool: its connections close, and the transfers on them fail with 503. */
  public Future<Void> remove(String name) {
    if (defs.remove(name) == null) {
      return Future.failedFuture(XferException.notFound("name", "no pool \"" + name + "\""));
    }
    peers.forEach((key, p) -> {
      if (key.startsWith(name + "|")) {
        p.all().forEach(c -> c.context().runOnContext(v -> c.close("pool " + name + " was removed")));
      }
    });
    return Future.succeededFuture();
  }

  /** Every pool with its open connections and channels per peer. */
  public Future<JsonArray> list() {
    JsonArray out = new JsonArray();
    for (PoolDef def : defs.values().stream().sorted(java.util.Comparator.comparing(PoolDef::name)).toList()) {
      JsonObject peersOf = new JsonObject();
      peers.forEach((key, p) -> {
        if (key.startsWith(def.name() + "|")) {
          List<PoolConnection> conns = p.all();
          if (!conns.isEmpty()) {
            peersOf.put(key.substring(def.name().length() + 1), new JsonObject().put("connections", conns.size())
              .put("channels", conns.stream().mapToInt(PoolConnection::channelCount).sum()));
          }
        }
      });
      out.add(def.toJson().put("peers", peersOf));
    }
    return Future.succeededFuture(out);
  }

  /** The contexts of the open connections of {@code pool} with {@code peer}: one per connection. */
  public List<Context> connectionContexts(String pool, String peer) {
    Peer p = peers.get(key(pool, peer));
    return p == null ? List.of() : p.all().stream().map(PoolConnection::context).toList();
  }

  /** Resets every open connection of {@code pool} with {@code peer}, as a broken network would: a fault to test. */
  public void breakConnections(String pool, String peer) {
    Peer p = peers.get(key(pool, peer));
    if (p != null) {
      p.all().forEach(c -> c.context().runOnContext(v -> c.abort("broken on purpose")));
    }
  }

  // ---- the data port

  public Future<Integer> listen(String host, int port) {
    return listen(host, port, null);
  }

  /**
   * Listens for peers' connections on several event loops (one server instance per context, sharing the
   * port). With {@code registry}, the data port is a listener there, and each connection it accepts is its
   * child: it reports opening and closing, and obeys PAUSE, RESUME and SHUTDOWN.
   *
   * @return the port bound
   */
  public Future<Integer> listen(String host, int port, SocketRegistry registry) {
    NetServerOptions options = new NetServerOptions().setTcpNoDelay(true);
    if (tls != null) {
      tls.applyTo(options);
    }
    // Vert.x shares a port between servers that listen on it from different contexts; for "any free port"
    // they share one chosen at random when they all ask for the same negative port, unique to these pools
    int shared = port == 0 ? -RANDOM_PORTS.incrementAndGet() : port;
    return listenOne(options, host, shared).compose(actual -> {
      List<Future<Integer>> more = new ArrayList<>();
      for (int i = 1; i < listeners; i++) {
        more.add(listenOne(options, host, shared));
      }
      return Future.all(more).map(actual);
    }).compose(actual -> registry == null ? Future.succeededFuture(actual)
      : registry.listen((tls != null ? "tls+tcp " : "tcp ") + host + ":" + actual, "data port").map(p -> {
        parent = p;
        return actual;
      }));
  }

  private Future<Integer> listenOne(NetServerOptions options, String host, int port) {
    Context ctx = ((VertxInternal) vertx).createEventLoopContext();
    Promise<Integer> bound = Promise.promise();
    ctx.runOnContext(v -> {
      NetServer server = vertx.createNetServer(options).connectHandler(s -> accepted(ctx, s));
      synchronized (servers) {
        servers.add(server);
      }
      server.listen(port, host).map(NetServer::actualPort).onComplete(bound);
    });
    return bound.future();
  }

  private void accepted(Context ctx, NetSocket socket) {
    if (closed) {
      socket.close();
      return;
    }
    PoolConnection c = new PoolConnection(ctx, (NetSocketInternal) socket, false, tls != null,
      Handshake.accepting(node, keys, this::poolCheck), this);
    long timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> c.close("no handshake within " + HANDSHAKE_TIMEOUT_MS + " ms"));
    c.established().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        log.debug("{}: accepted", c.describe());
        ParentSocket p = parent;
        if (p != null) {
          ChildSocket child = ChildSocket.open(vertx, p.address(), node, c.describe(), new ChildSocket.Control() {
            @Override
            public void pause() {
              ctx.runOnContext(x -> c.pause());
            }

            @Override
            public void resume() {
              ctx.runOnContext(x -> c.resume());
            }

            @Override
            public void shutdown(String reason) {
              ctx.runOnContext(x -> c.abort(reason));
            }
          });
          c.closeHandler(gone -> child.closed());
        }
      }
    });
  }

  private String poolCheck(Frame.Hello hello) {
    return defs.containsKey(hello.pool()) ? null : "unknown pool \"" + hello.pool() + "\"";
  }

  /** A proven peer's connection is taken unless the pool has {@code maxPerPeer} with that peer already. */
  @Override
  public String admit(PoolConnection c) {
    PoolDef def = defs.get(c.pool());
    if (def == null) {
      return "unknown pool \"" + c.pool() + "\"";
    }
    Peer p = peer(c.pool(), c.peer());
    if (!p.tryAdd(c, def.maxPerPeer())) {
      return "pool " + def.name() + " already has " + def.maxPerPeer() + " connections with " + c.peer();
    }
    return null;
  }

  // ---- connections to peers

  /**
   * A connection of {@code pool} to {@code peer} for one more channel: the least busy one not in
   * {@code avoid}, or a new one while the pool allows more, or, when every connection the pool allows is
   * in {@code avoid}, the least busy of those.
   */
  Future<PoolConnection> connection(String pool, String peer, Set<PoolConnection> avoid) {
    PoolDef def = defs.get(pool);
    if (def == null) {
      return Future.failedFuture(XferException.notFound("options.pool", "no pool \"" + pool + "\""));
    }
    if (closed) {
      return Future.failedFuture(new XferException(ErrorCode.UNAVAILABLE, "node " + node + " is stopping"));
    }
    Peer p = peer(pool, peer);
    Peer.Choice choice = p.choose(avoid, def.minPerPeer(), def.maxPerPeer());
    for (Promise<PoolConnection> extra : choice.extra()) {
      connect(def, peer, p, extra);
      extra.future().onFailure(t -> log.debug("pool {}: a connection to {} failed: {}", pool, peer, t.getMessage()));
    }
    if (choice.existing() != null) {
      return Future.succeededFuture(choice.existing());
    }
    if (choice.fresh() != null) {
      connect(def, peer, p, choice.fresh());
      PoolConnection fallback = p.leastBusy(Set.of());
      return choice.fresh().future().recover(t -> fallback != null && fallback.isOpen()
        ? Future.succeededFuture(fallback) : Future.failedFuture(t));
    }
    return choice.opening();
  }

  /** Opens a connection on a context of its own, for {@code result}, which {@code p} counts as being opened. */
  private void connect(PoolDef def, String peer, Peer p, Promise<PoolConnection> result) {
    Context ctx = ((VertxInternal) vertx).createEventLoopContext();
    result.future().onComplete(ar -> p.opened(result.future()));
    addresses.apply(peer).onComplete(where -> ctx.runOnContext(v -> {
      if (where.failed()) {
        result.tryFail(XferException.from(where.cause()));
        return;
      }
      client().connect(where.result()).onComplete(ar -> {
        if (ar.failed()) {
          result.tryFail(new XferException(ErrorCode.UNAVAILABLE, "pool " + def.name() + ": cannot connect to " + peer
            + " at " + where.result() + ": " + ar.cause().getMessage()));
          return;
        }
        PoolConnection c = new PoolConnection(ctx, (NetSocketInternal) ar.result(), true, tls != null,
          Handshake.connecting(node, keys, def.name(), peer), this);
        long timer = vertx.setTimer(HANDSHAKE_TIMEOUT_MS, id -> c.close("no handshake within "
          + HANDSHAKE_TIMEOUT_MS + " ms"));
        c.established().onComplete(est -> {
          vertx.cancelTimer(timer);
          if (est.succeeded()) {
            p.add(c);
            log.debug("{}: connected", c.describe());
            if (closed) {
              c.close("the node is stopping");
            }
            result.tryComplete(c);
          } else {
            result.tryFail(est.cause());
          }
        });
      });
    }));
  }

  /** With {@code data.tls} every pool's connections use TLS: the data port speaks nothing else. */
  private NetClient client() {
    NetClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000);
          client = vertx.createNetClient(tls == null ? options : tls.applyTo(options));
        }
        c = client;
      }
    }
    return c;
  }

  private Peer peer(String pool, String peer) {
    return peers.computeIfAbsent(key(pool, peer), k -> new Peer());
  }

  // ---- receiving

  /**
   * Expects {@code transfer}'s streams on {@code link}'s pool, each carrying its token; their bytes go to
   * {@code output}. A DATA_START that arrived before is taken now.
   */
  public Receiver expect(PoolLink link, String transfer, boolean resume, Receiver.Output output) {
    return expect(link, transfer, resume, output, Long.MAX_VALUE);
  }

  /**
   * @param window the most bytes the transfer may have in flight to this node: its share of the node's
   *               memory budget; the pool's {@code window} caps it too
   */
  public Receiver expect(PoolLink link, String transfer, boolean resume, Receiver.Output output, long window) {
    PoolDef def = defs.get(link.pool());
    if (def == null) {
      throw XferException.notFound("options.pool", "no pool \"" + link.pool() + "\"");
    }
    Receiver[] self = new Receiver[1];
    int allowed = (int) Math.min(def.window(), window);
    Receiver r = new Receiver(vertx, transfer, link.streams(), allowed, link.token(), resume, link.checksum(), output,
      () -> receivers.remove(transfer, self[0]));
    self[0] = r;
    List<Early> waiting;
    // registering and taking what waited is one step: a DATA_START is either seen here or finds the receiver
    synchronized (early) {
      if (receivers.putIfAbsent(transfer, r) != null) {
        throw XferException.conflict("id", "transfer " + transfer + " is expected already");
      }
      waiting = early.remove(transfer);
      earlyCount -= waiting == null ? 0 : waiting.size();
    }
    if (waiting != null) {
      for (Early e : waiting) {
        vertx.cancelTimer(e.timer());
        e.connection().context().runOnContext(v -> deliver(r, e.connection(), e.start()));
      }
    }
    return r;
  }

  /** A DATA_START from a peer, on its connection's context. */
  @Override
  public void opened(PoolConnection c, Frame.DataStart start) {
    Receiver r = receivers.get(start.transfer());
    if (r != null) {
      deliver(r, c, start);
      return;
    }
    // the sender's node may have set up before this one: wait a little for the receiver
    synchronized (early) {
      r = receivers.get(start.transfer());
      if (r != null) {
        deliver(r, c, start);
        return;
      }
      if (earlyCount < MAX_EARLY) {
        earlyCount++;
        long timer = vertx.setTimer(EARLY_WAIT_MS, id -> expire(start.transfer(), c, start));
        early.computeIfAbsent(start.transfer(), k -> new ArrayList<>()).add(new Early(c, start, timer));
        return;
      }
    }
    c.send(new Frame.DataNo(start.channel(), ErrorCode.AT_CAPACITY, "too many channels wait for their transfer here"));
  }

  private void expire(String transfer, PoolConnection c, Frame.DataStart start) {
    boolean removed;
    synchronized (early) {
      List<Early> list = early.get(transfer);
      removed = list != null && list.removeIf(e -> e.start() == start);
      if (removed) {
        earlyCount--;
        if (list.isEmpty()) {
          early.remove(transfer);
        }
      }
    }
    if (removed) {
      c.context().runOnContext(v -> c.send(new Frame.DataNo(start.channel(), ErrorCode.NOT_FOUND,
        "no transfer " + start.transfer() + " is expected on node " + node)));
    }
  }

  private void deliver(Receiver r, PoolConnection c, Frame.DataStart start) {
    if (!c.isOpen()) {
      // it waited for its receiver while its connection closed: the sender opens the stream elsewhere
      return;
    }
    if (!r.tokenMatches(start.token())) {
      log.debug("{}: refused channel {} for {}: wrong token", c.describe(), start.channel(), start.transfer());
      c.send(new Frame.DataNo(start.channel(), ErrorCode.FORBIDDEN, "unknown transfer or token"));
      return;
    }
    r.accept(c, start);
  }

  // ---- sending

  /**
   * A sender of {@code transfer} over {@code link}, taking its bytes from {@code work}.
   *
   * @param file     for a {@link FileWork}, the file its regions come from
   * @param checksum the value EOF carries ("" or "algorithm:hex")
   */
  Sender sender(PoolLink link, String transfer, String source, boolean resume, Work work, FileChannel file,
                long fileBase, Supplier<Future<String>> checksum) {
    return new Sender(this, link, transfer, source, resume, work, file, fileBase, checksum);
  }

  // ---- housekeeping

  private void closeIdle() {
    long now = System.nanoTime();
    peers.forEach((key, p) -> {
      PoolDef def = defs.get(key.substring(0, key.indexOf('|')));
      if (def != null) {
        for (PoolConnection c : p.idle(now, def.idleTimeout().toNanos(), def.minPerPeer())) {
          c.context().runOnContext(v -> {
            if (c.channelCount() == 0) {
              c.close("idle for " + def.idleTimeout());
            }
          });
        }
      }
    });
  }

  /** Closes the data port and every connection; transfers on them fail with 503. */
  public Future<Void> close() {
    closed = true;
    vertx.cancelTimer(sweeper);
    List<Future<?>> closing = new ArrayList<>();
    ParentSocket p = parent;
    if (p != null) {
      closing.add(p.close("the node is stopping", true));
    }
    peers.values().forEach(peer -> peer.all().forEach(c -> {
      Promise<Void> done = Promise.promise();
      c.context().runOnContext(v -> {
        c.close("the node is stopping");
        done.complete();
      });
      closing.add(done.future());
    }));
    new ArrayList<>(receivers.values()).forEach(r -> r.abort("node " + node + " is stopping"));
    synchronized (servers) {
      servers.forEach(s -> closing.add(s.close()));
    }
    NetClient c = client;
    if (c != null) {
      closing.add(c.close());
    }
    return Future.join(closing).mapEmpty();
  }

  private static String key(String pool, String peer) {
    return pool + "|" + peer;
  }
}
