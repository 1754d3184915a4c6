package io.xfernode.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xfernode.node.cluster.HazelcastConfigs;
import io.xfernode.node.config.ConfigLayers;
import io.xfernode.node.config.NodeConfig;
import io.xfernode.node.config.NodeConfigLoader;
import io.xfernode.test.FreePorts;
import io.xfernode.test.TestVertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Real clustered nodes in this JVM: Hazelcast on loopback, a cluster name no other test uses, OS-chosen
 * ports for the bridge, and a temporary directory per node for its {@code data} root. Create it from the
 * test thread (never inside a Vert.x context) and share it within a test class.
 */
public final class TestCluster implements AutoCloseable {

  private final String name;
  private final int[] memberPorts;
  private final Path baseDir;
  private final List<XferNode> nodes = new ArrayList<>();
  private final List<NodeConfig> configs = new ArrayList<>();

  private TestCluster(String name, int size) throws IOException {
    this.name = name;
    this.memberPorts = FreePorts.takeFixed(size);
    this.baseDir = Files.createTempDirectory("xfer-" + name);
  }

  /** Starts {@code size} nodes with ids {@code n0, n1, ...}. */
  public static TestCluster start(String testName, int size) throws Exception {
    return start(testName, size, UnaryOperator.identity());
  }

  /**
   * @param flags adjusts each node's flag layer (the node's index is in {@code "index"}, removed after)
   */
  public static TestCluster start(String testName, int size, UnaryOperator<JsonObject> flags) throws Exception {
    TestCluster cluster = new TestCluster(testName + "-" + UUID.randomUUID().toString().substring(0, 8), size);
    try {
      for (int i = 0; i < size; i++) {
        cluster.configs.add(cluster.config(i, flags));
        cluster.nodes.add(await(XferNode.start(cluster.configs.get(i), cluster.hazelcast(i), TestVertx.options())));
      }
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private NodeConfig config(int i, UnaryOperator<JsonObject> adjust) throws Exception {
    Path root = Files.createDirectories(baseDir.resolve("n" + i).resolve("data"));
    JsonObject flags = new JsonObject()
      .put("index", i)
      .put("nodeId", "n" + i)
      .put("roots", new JsonObject().put("data", root.toString()))
      .put("state", new JsonObject().put("dir", baseDir.resolve("n" + i).resolve("state").toString()))
      .put("bridge", new JsonObject().put("port", 0))
      .put("http", new JsonObject().put("port", 0))
      .put("data", new JsonObject().put("port", 0));
    flags = adjust.apply(flags);
    flags.remove("index");
    Vertx scratch = Vertx.vertx();
    try {
      return await(NodeConfigLoader.load(scratch, ConfigLayers.of(flags)));
    } finally {
      scratch.close();
    }
  }

  /** The shipped default, with this cluster's name and ports. */
  public Config hazelcast(int i) {
    Config config = HazelcastConfigs.load(HazelcastConfigs.DEFAULT, "test");
    config.setClusterName(name);
    config.getNetworkConfig().setPort(memberPorts[i]).setPortAutoIncrement(false);
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getTcpIpConfig().getMembers().clear();
    for (int port : memberPorts) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + port);
    }
    return config;
  }

  public String name() {
    return name;
  }

  public XferNode node(int i) {
    return nodes.get(i);
  }

  public List<XferNode> nodes() {
    return nodes;
  }

  /** The data root of node {@code i}. */
  public Path root(int i) {
    return baseDir.resolve("n" + i).resolve("data");
  }

  /**
   * Submits {@code spec} (which carries an id) on node {@code i}'s event bus, waits for the transfer's final
   * state event, and returns its status; a refused submit is no failure here: its status tells.
   */
  public JsonObject run(int i, JsonObject spec) throws Exception {
    var bus = nodes.get(i).vertx().eventBus();
    String id = spec.getString("id");
    java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
    var events = bus.<JsonObject>consumer(io.xfernode.api.Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    await(events.completion());
    try {
      bus.request(io.xfernode.api.Addresses.SUBMIT, spec);
      ended.get(120, TimeUnit.SECONDS);
      return (JsonObject) await(bus.request(io.xfernode.api.Addresses.STATUS, new JsonObject().put("id", id))).body();
    } finally {
      events.unregister();
    }
  }

  /** Stops node {@code i}; it stays in {@link #nodes()} but is stopped. */
  public void stop(int i) throws Exception {
    await(nodes.get(i).stop());
  }

  /**
   * Waits until every running node's partitions have their backups, so that the crash of any one node
   * loses nothing of the cluster-wide maps (they keep one backup: SPEC 5's loss is one node at a time).
   */
  public void awaitSafe() {
    for (XferNode node : nodes) {
      var hz = node.clusterManager().getHazelcastInstance();
      if (hz != null && hz.getLifecycleService().isRunning()
        && !hz.getPartitionService().forceLocalMemberToBeSafe(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the partitions of " + hz.getName() + " have no backups after 60 s");
      }
    }
  }

  /** Starts node {@code i} again, with its configuration, roots and state directory, after {@link #stop}. */
  public XferNode restart(int i) throws Exception {
    XferNode node = await(XferNode.start(configs.get(i), hazelcast(i), TestVertx.options()));
    nodes.set(i, node);
    return node;
  }

  /** The state directory of node {@code i}. */
  public Path stateDir(int i) {
    return baseDir.resolve("n" + i).resolve("state");
  }

  @Override
  public void close() throws Exception {
    for (XferNode node : nodes) {
      try {
        await(node.stop());
      } catch (Exception ignored) {
        // keep stopping the others
      }
    }
    deleteTree(baseDir);
  }

  public static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
