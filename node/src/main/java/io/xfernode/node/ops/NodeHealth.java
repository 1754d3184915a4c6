package io.xfernode.node.ops;

import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.xfernode.node.cluster.NodeDirectory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A node's health (SPEC 2.7), with vertx-health-check: one procedure for the node, one for its cluster
 * membership, one per root ({@code roots/<name>}) and one for the data port. {@code GET /health} answers
 * 200 with {@code {"status": "UP", "checks": [...]}} when every one is up, else 503 with the same body, in
 * which the checks that are down say {@code "status": "DOWN"} and why ({@code data.reason}).
 * {@code GET /health/<id>} reports one check (or group) alone.
 */
public final class NodeHealth {

  /** How long one procedure may take before it counts as down. */
  static final long CHECK_TIMEOUT_MS = 2000;

  /** What the checks read from the node, which exists before its ports do. */
  public interface Node {
    /** @return this node's id */
    String id();

    /** @return whether every service of the node started and it is not stopping */
    boolean up();

    /** @return where this node's data port listens, or null before it does */
    SocketAddress dataAddress();
  }

  private final Vertx vertx;
  private final Node node;
  private final HazelcastClusterManager clusterManager;
  private final NodeDirectory directory;
  private final HealthChecks checks;
  private final NetClient probe;

  private NodeHealth(Vertx vertx, Node node, HazelcastClusterManager clusterManager, NodeDirectory directory,
                     Map<String, Path> roots) {
    this.vertx = vertx;
    this.node = node;
    this.clusterManager = clusterManager;
    this.directory = directory;
    this.checks = HealthChecks.create(vertx);
    this.probe = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) CHECK_TIMEOUT_MS));
    checks.register("node", CHECK_TIMEOUT_MS, this::node);
    checks.register("cluster", CHECK_TIMEOUT_MS, this::cluster);
    roots.forEach((name, dir) -> checks.register("roots/" + name, CHECK_TIMEOUT_MS, p -> root(dir, p)));
    checks.register("data-port", CHECK_TIMEOUT_MS, this::dataPort);
  }

  /** @param roots the node's roots, by name */
  public static NodeHealth create(Vertx vertx, Node node, HazelcastClusterManager clusterManager,
                                  NodeDirectory directory, Map<String, Path> roots) {
    return new NodeHealth(vertx, node, clusterManager, directory, roots);
  }

  /** The handler of {@code GET /health} and {@code GET /health/<id>}. */
  public Handler<RoutingContext> handler() {
    return HealthCheckHandler.createWithHealthChecks(checks).resultMapper(NodeHealth::downNotBroken);
  }

  /**
   * A procedure that failed or timed out is a check that is down, with its cause as the reason: the handler
   * would answer 500 for it, and the SPEC says 503 whenever something is not well.
   */
  private static Future<CheckResult> downNotBroken(CheckResult result) {
    JsonObject data = result.getData();
    if (data != null && data.remove("procedure-execution-failure") != null) {
      Object cause = data.remove("cause");
      data.put("reason", String.valueOf(cause == null ? "the check failed" : cause));
    }
    List<CheckResult> children = result.getChecks();
    if (children != null) {
      children.forEach(NodeHealth::downNotBroken);
    }
    return Future.succeededFuture(result);
  }

  private void node(Promise<Status> p) {
    p.complete(node.up() ? Status.OK(new JsonObject().put("id", node.id()))
      : down("the node is starting or stopping"));
  }

  private void cluster(Promise<Status> p) {
    HazelcastInstance hz = clusterManager.getHazelcastInstance();
    if (hz == null || !hz.getLifecycleService().isRunning()) {
      p.complete(down("Hazelcast is not running"));
      return;
    }
    List<String> members = clusterManager.getNodes();
    if (!members.contains(clusterManager.getNodeId())) {
      p.complete(down("this node is not a member of the cluster"));
      return;
    }
    directory.get(node.id()).onComplete(ar -> {
      if (ar.failed()) {
        p.complete(down("cannot read the node directory: " + ar.cause().getMessage()));
      } else if (ar.result() == null) {
        p.complete(down("node " + node.id() + " is not in the node directory"));
      } else {
        p.complete(Status.OK(new JsonObject().put("members", members.size())));
      }
    });
  }

  private void root(Path dir, Promise<Status> p) {
    // file system calls block: a worker makes them, unordered so that one slow root holds up no other
    vertx.executeBlocking(() -> rootProblem(dir), false).onComplete(ar -> {
      String problem = ar.succeeded() ? ar.result() : String.valueOf(ar.cause());
      JsonObject data = new JsonObject().put("path", dir.toString());
      p.complete(problem == null ? Status.OK(data) : Status.KO(data.put("reason", dir + ": " + problem)));
    });
  }

  /**
   * Asks the file system whether the node may list the root and create files in it, without writing: a
   * probe file could show up in a recursive transfer of the root. (As root, only a read-only mount makes a
   * directory unwritable.)
   */
  static String rootProblem(Path dir) {
    if (!Files.exists(dir)) {
      return "no such directory";
    }
    if (!Files.isDirectory(dir)) {
      return "not a directory";
    }
    if (!Files.isReadable(dir) || !Files.isExecutable(dir)) {
      return "not readable";
    }
    if (!Files.isWritable(dir)) {
      return "not writable";
    }
    return null;
  }

  private void dataPort(Promise<Status> p) {
    SocketAddress address = node.dataAddress();
    if (address == null) {
      p.complete(down("the data port is not bound yet"));
      return;
    }
    String host = address.host();
    SocketAddress target = "0.0.0.0".equals(host) || "::".equals(host)
      ? SocketAddress.inetSocketAddress(address.port(), "127.0.0.1") : address;
    JsonObject data = new JsonObject().put("port", address.port());
    // a connection that closes before its handshake is dropped by the data port without a word
    probe.connect(target).onComplete(ar -> {
      if (ar.succeeded()) {
        ar.result().close();
        p.complete(Status.OK(data));
      } else {
        p.complete(down("the data port " + target + " does not accept connections: " + ar.cause().getMessage()));
      }
    });
  }

  private static Status down(String reason) {
    return Status.KO(new JsonObject().put("reason", reason));
  }

  /** Closes the client the data-port check connects with. */
  public Future<Void> close() {
    return probe.close();
  }
}
