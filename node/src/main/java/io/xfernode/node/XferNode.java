package io.xfernode.node;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.NodeEnv;
import io.xfernode.engine.Engine;
import io.xfernode.glue.GlueTable;
import io.xfernode.node.bridge.TcpBridge;
import io.xfernode.node.cluster.DirectoryClusterView;
import io.xfernode.node.cluster.ClusterKeys;
import io.xfernode.node.cluster.NodeDirectory;
import io.xfernode.node.cluster.NodeIdentity;
import io.xfernode.node.cluster.PoolDirectory;
import io.xfernode.node.config.NodeConfig;
import io.xfernode.node.config.NodeState;
import io.xfernode.node.control.NodesApi;
import io.xfernode.node.control.PoolsApi;
import io.xfernode.node.control.TransfersApi;
import io.xfernode.node.http.HttpApi;
import io.xfernode.node.net.Listener;
import io.xfernode.node.net.PortBinder;
import io.xfernode.node.ops.NodeHealth;
import io.xfernode.node.ops.NodeMetrics;
import io.xfernode.pool.PoolDef;
import io.xfernode.pool.Pools;
import io.xfernode.transport.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One running xfernode node: a clustered Vert.x instance, its entry in the node directory, the control
 * API and the bridges. {@link #start} and {@link #stop} are all a program (or a test) needs.
 */
public final class XferNode {

  private static final Logger log = LoggerFactory.getLogger(XferNode.class);

  private final NodeConfig config;
  private final NodeState state;
  private final Vertx vertx;
  private final HazelcastClusterManager clusterManager;
  private final NodeDirectory directory;
  private final ClusterKeys keys;
  private final JsonObject info;
  private Engine engine;
  private TcpBridge bridge;
  private int bridgePort;
  private HttpApi http;
  private Pools pools;
  private ElementRegistry elements;
  private volatile int dataPortNumber;
  private int httpPort;
  private boolean stopped;
  /** Every service started, and the node is not stopping: what the {@code node} health check reports. */
  private volatile boolean up;
  private final NodeMetrics metrics;
  /** The number of transfers in the directory entry: at most four writes a second, not two per transfer. */
  private final io.xfernode.node.cluster.ThrottledInfo transfersInfo;
  private NodeHealth health;

  private XferNode(NodeConfig config, NodeState state, Vertx vertx, HazelcastClusterManager clusterManager,
                   NodeDirectory directory, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.state = state;
    this.vertx = vertx;
    this.clusterManager = clusterManager;
    this.directory = directory;
    this.keys = new ClusterKeys(vertx, config.nodeId());
    this.info = new JsonObject()
      .put("id", config.nodeId())
      .put("host", config.host())
      .put("roots", roots(config))
      .put("elementTypes", new JsonArray())
      .put("pools", new JsonArray())
      .put("transfers", 0)
      .put("startedAt", Instant.now().toString())
      .put("version", Version.VERSION);
    this.transfersInfo = new io.xfernode.node.cluster.ThrottledInfo(vertx, directory, config.nodeId(), 250, () -> {
      synchronized (info) {
        return info.copy();
      }
    });
  }

  /**
   * Joins the cluster described by {@code hazelcast} and starts every service of the node. On failure,
   * whatever was started is stopped again.
   *
   * @param options Vert.x options to start from (the event bus host is set from the config)
   */
  public static Future<XferNode> start(NodeConfig given, Config hazelcast, VertxOptions options) {
    NodeState state;
    try {
      state = NodeState.open(given);
    } catch (IOException e) {
      return Future.failedFuture(new XferException(ErrorCode.INTERNAL, "state.dir: cannot use "
        + given.stateDir() + ": " + e));
    }
    NodeConfig config = given;
    HazelcastClusterManager clusterManager = new HazelcastClusterManager(hazelcast);
    VertxOptions vertxOptions = new VertxOptions(options);
    EventBusOptions eb = vertxOptions.getEventBusOptions().setHost(config.host()).setPort(0);
    TlsConfig ebTls = TlsConfig.fromJson("eventBus.tls", config.eventBusTls());
    if (ebTls != null) {
      ebTls.applyTo(eb);
    }
    // The result must not run its callbacks on a context of this Vert.x instance: after a failed start
    // the instance is closed, and a closed context drops them.
    Promise<XferNode> result = Promise.promise();
    NodeMetrics metrics = new NodeMetrics();
    metrics.enable(Vertx.builder(), vertxOptions).withClusterManager(clusterManager).buildClustered()
      .onFailure(t -> {
        metrics.close();
        result.fail(t);
      })
      .onSuccess(vertx -> {
        OomGuard.install(vertx);
        NodeDirectory directory = new NodeDirectory(vertx, clusterManager);
        NodeIdentity.choose(vertx, directory, state, config.nodeId(), config.host())
          .compose(id -> vertx.executeBlocking(() -> {
            state.openParts();
            return id;
          }))
          .onFailure(t -> vertx.executeBlocking(() -> {
            state.close();
            return null;
          }).eventually(vertx::close).onComplete(ignored -> {
            metrics.close();
            result.fail(t);
          }))
          .onSuccess(id -> {
            XferNode node = new XferNode(config.withNodeId(id), state, vertx, clusterManager, directory, metrics);
            node.startServices()
              .onSuccess(v -> result.complete(node))
              .onFailure(t -> node.stop().onComplete(ignored -> result.fail(t)));
          });
      });
    return result.future();
  }

  private Future<Void> startServices() {
    if (config.tokens().required()) {
      log.info("auth: {} token(s) configured; every control request must carry one", config.tokens().tokens().size());
    } else if (config.allowAnonymous()) {
      log.warn("auth: no tokens and auth.allowAnonymous is true: anyone who reaches {}:{} (bridge) or {}:{} (HTTP, "
        + "SockJS) may move any byte in this node's roots", config.bridge().host(), config.bridge().port(),
        config.http().host(), config.http().port());
    }
    return vertx.executeBlocking(() -> {
        createRoots();
        return ElementRegistry.load(); // reads the element types' service files from the jars
      })
      .compose(registry -> {
        elements = registry;
        return Future.<Void>succeededFuture();
      })
      .compose(v -> directory.join(config.nodeId(), info))
      .compose(v -> keys.publish())
      .compose(v -> {
        pools = new Pools(vertx, config.nodeId(), this::dataAddress, TlsConfig.fromJson("data.tls", config.data().tls()),
          keys);
        return Engine.start(vertx, engineConfig());
      })
      .compose(e -> {
        engine = e;
        metrics.bind(e, pools);
        info.put("elementTypes", new JsonArray(e.elementTypes()));
        e.onActiveChange(this::transfersChanged);
        return directory.update(config.nodeId(), info);
      })
      .compose(v -> vertx.deployVerticle(new NodesApi(directory)))
      .compose(v -> vertx.deployVerticle(new TransfersApi(engine)))
      .compose(v -> PoolDirectory.open(vertx))
      .compose(poolDirectory -> {
        return vertx.deployVerticle(new PoolsApi(config.nodeId(), pools, poolDirectory, directory,
            () -> poolsChanged().onFailure(t -> log.debug("cannot publish this node's pools: {}", t.getMessage()))))
          .compose(id -> Future.all(configPools().stream().map(poolDirectory::defineIfAbsent).toList()))
          // what the cluster holds now, this node's config included, before the node says it is up
          .compose(v -> poolDirectory.all())
          .compose(all -> Future.join(all.stream().map(pools::define).toList()).otherwiseEmpty())
          .compose(v -> poolsChanged());
      })
      .compose(v -> PortBinder.bind("bridge.port", config.bridge(), () -> TcpBridge.create(vertx,
        TlsConfig.fromJson("bridge.tls", config.bridge().tls()), config.limits().maxRequestBytes(),
        new io.xfernode.node.bridge.FrameGate(config.tokens(), config.limits().maxRequestBytes()))))
      .compose(bound -> {
        bridge = bound.listener();
        bridgePort = bound.port();
        return PortBinder.bind("http.port", config.http(), () -> HttpApi.create(vertx, config.sockjsPath(),
          config.limits().maxRequestBytes(), TlsConfig.fromJson("http.tls", config.http().tls()),
          config.http().host(), config.allowedOrigins(), config.tokens(), config.openHealth(), this::mountOperations));
      })
      .compose(bound -> {
        http = bound.listener();
        httpPort = bound.port();
        return PortBinder.bind("data.port", config.data(), () -> new Listener() {
          @Override
          public Future<Integer> listen(String host, int port) {
            return pools.listen(host, port, engine.sockets());
          }

          @Override
          public Future<Void> close() {
            return Future.succeededFuture(); // pools.close() closes it
          }
        });
      })
      .compose(bound -> {
        dataPortNumber = bound.port();
        // no element may connect to what this node listens on for control, data and the cluster
        config.egress().ownPorts(bridgePort, httpPort, dataPortNumber, clusterManager.getNodeInfo().port(),
          clusterManager.getHazelcastInstance().getCluster().getLocalMember().getAddress().getPort());
        synchronized (info) {
          info.put("data", new JsonObject().put("host", config.data().host()).put("port", dataPortNumber));
          info.put("bridge", new JsonObject().put("host", config.bridge().host()).put("port", bridgePort));
          info.put("http", new JsonObject().put("host", config.http().host()).put("port", httpPort));
        }
        return directory.update(config.nodeId(), info);
      })
      .onSuccess(v -> up = true)
      .onSuccess(v -> log.info("node {} is up: event-bus bridge on {}:{}, HTTP on {}:{}, data port on {}:{}, roots {}",
        config.nodeId(), config.bridge().host(), bridgePort, config.http().host(), httpPort, config.data().host(),
        dataPortNumber, config.roots()));
  }

  /** {@code GET /health} and {@code GET /metrics} (SPEC 2.7), on the HTTP port. */
  private void mountOperations(Router router) {
    health = NodeHealth.create(vertx, new NodeHealth.Node() {
      @Override
      public String id() {
        return config.nodeId();
      }

      @Override
      public boolean up() {
        return up;
      }

      @Override
      public SocketAddress dataAddress() {
        int port = dataPortNumber;
        return port == 0 ? null : SocketAddress.inetSocketAddress(port, config.data().host());
      }
    }, clusterManager, directory, config.roots());
    router.get("/health*").handler(health.handler());
    router.get("/metrics").handler(metrics.scrapeHandler());
  }

  private Engine.Config engineConfig() {
    NodeEnv env = new NodeEnv(config.nodeId(), config.host(), config.roots(), config.processAllow(),
      config.processEnv(), config.limits().maxBufferedBytes(), NodeEnv.DEFAULT_CHUNK, state.parts(), config.egress(),
      config.limits().maxRequestBytes());
    return new Engine.Config(env, elements, GlueTable.standard(),
      new DirectoryClusterView(config.nodeId(), directory), config.limits().maxTransfers(),
      Engine.Config.DEFAULT_FINISHED_TTL_MS, pools, config.data().tls() != null);
  }

  private void transfersChanged(int count) {
    synchronized (info) {
      info.put("transfers", count);
    }
    transfersInfo.changed();
  }

  private List<PoolDef> configPools() {
    return config.pools().stream().map(p -> PoolDef.fromJson("pools", (JsonObject) p)).toList();
  }

  /** Where {@code node}'s data port is, from the node directory. */
  private Future<SocketAddress> dataAddress(String node) {
    return directory.get(node).compose(info -> {
      JsonObject data = info == null ? null : info.getJsonObject("data");
      if (data == null) {
        return Future.failedFuture(new XferException(ErrorCode.UNAVAILABLE, "node " + node
          + " is not in the cluster, or has no data port yet"));
      }
      return Future.succeededFuture(SocketAddress.inetSocketAddress(data.getInteger("port"), data.getString("host")));
    });
  }

  /** Publishes this node's pool names in the node directory. */
  private Future<Void> poolsChanged() {
    return pools.list().compose(list -> {
      JsonObject snapshot;
      synchronized (info) {
        info.put("pools", new JsonArray(list.stream().map(p -> ((JsonObject) p).getString("name")).toList()));
        snapshot = info.copy();
      }
      return directory.update(config.nodeId(), snapshot);
    });
  }

  private void createRoots() throws IOException {
    for (Map.Entry<String, Path> root : config.roots().entrySet()) {
      Path dir = root.getValue();
      if (Files.exists(dir) && !Files.isDirectory(dir)) {
        throw new io.xfernode.node.config.ConfigException("roots." + root.getKey(), dir + " is not a directory");
      }
      Files.createDirectories(dir);
    }
  }

  private static JsonObject roots(NodeConfig config) {
    JsonObject roots = new JsonObject();
    config.roots().forEach((name, path) -> roots.put(name, path.toString()));
    return roots;
  }

  /**
   * Leaves the directory and the cluster and closes every listener. Safe to call twice.
   */
  public synchronized Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    up = false;
    transfersInfo.close();
    log.info("node {} is stopping", config.nodeId());
    Promise<Void> done = Promise.promise();
    Future<Void> closeData = pools == null ? Future.succeededFuture() : pools.close().otherwiseEmpty();
    Future<Void> closeHttp = closeData.transform(v -> http == null ? Future.succeededFuture() : http.close())
      .transform(v -> health == null ? Future.succeededFuture() : health.close());
    Future<Void> closeBridge = closeHttp.transform(v -> bridge == null ? Future.succeededFuture() : bridge.close());
    closeBridge.transform(v -> engine == null ? Future.<Void>succeededFuture() : engine.stop()
        .timeout(5, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty())
      .transform(v -> keys.withdraw())
      .transform(v -> directory.leave(config.nodeId()))
      // the id is free for the next node started with this state directory only once it left the directory
      .transform(v -> vertx.executeBlocking(() -> {
        state.close();
        return null;
      }))
      .onComplete(v -> vertx.close().onComplete(ar -> {
        metrics.close();
        log.info("node {} stopped", config.nodeId());
        done.handle(ar);
      }));
    return done.future();
  }

  public Vertx vertx() {
    return vertx;
  }

  public String id() {
    return config.nodeId();
  }

  public NodeConfig config() {
    return config;
  }

  /** @return the port the HTTP API (and SockJS bridge) is bound to */
  /** This node's side of the cluster's pools. */
  public Pools pools() {
    return pools;
  }

  public int dataPort() {
    return dataPortNumber;
  }

  public int httpPort() {
    return httpPort;
  }

  /** @return the port the TCP event-bus bridge is bound to */
  public int bridgePort() {
    return bridgePort;
  }

  /** @return this node's transfer engine */
  public Engine engine() {
    return engine;
  }

  public NodeDirectory directory() {
    return directory;
  }

  public HazelcastClusterManager clusterManager() {
    return clusterManager;
  }
}
