package io.xfernode.node.cli;

import com.hazelcast.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.node.Version;
import io.xfernode.node.XferNode;
import io.xfernode.node.cluster.HazelcastConfigs;
import io.xfernode.node.config.ConfigException;
import io.xfernode.node.config.ConfigLayers;
import io.xfernode.node.config.NodeConfig;
import io.xfernode.node.config.NodeConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar xfernode.jar [flags]}: runs a node until SIGTERM. Its subcommands ({@code cp},
 * {@code status}, ...) are the client, which talks to a node through the TCP bridge.
 */
@Command(name = "xfernode", mixinStandardHelpOptions = true,
  subcommands = {CopyCommand.class, StatusCommand.class, ListCommand.class, CancelCommand.class, WatchCommand.class,
    NodesCommand.class, PoolsCommand.class, CommandLine.HelpCommand.class}, versionProvider = NodeCommand.VersionProvider.class,
  sortOptions = false, usageHelpAutoWidth = true,
  description = {"Runs an xfernode node: it joins the cluster and serves the control API on the event bus "
    + "and its bridges. With a subcommand, talks to a node through its TCP bridge instead.", "",
    "Config layers, lowest first: shipped defaults < --conf FILE < XFER_* environment < -Dxfer.* and flags."},
  exitCodeListHeading = "%nExit codes:%n",
  exitCodeList = {"0:stopped cleanly", "1:failed to start", "2:bad configuration or flags"})
public final class NodeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** Returned when the node is up and the process must keep running. */
  static final int RUNNING = Integer.MIN_VALUE;
  static final int EXIT_FAILED = 1;
  static final int EXIT_CONFIG = 2;
  private static final long STOP_SECONDS = 10;

  @Option(names = "--conf", paramLabel = "FILE", description = "a config file, YAML (.yaml/.yml) or JSON")
  Path conf;

  @Option(names = "--cluster-config", paramLabel = "FILE",
    description = "a Hazelcast XML config (a path or classpath:NAME); default: one host on loopback")
  String clusterConfig;

  @Option(names = "--node-id", paramLabel = "ID", description = "this node's id in the cluster")
  String nodeId;

  @Option(names = "--host", paramLabel = "HOST", description = "the address other nodes reach this one on")
  String host;

  @Option(names = "--root", paramLabel = "NAME=PATH", description = "adds or replaces a root (repeatable)")
  List<String> roots;

  @Option(names = "--bridge-port", paramLabel = "PORT", description = "TCP event-bus bridge port (0: any free)")
  Integer bridgePort;

  @Option(names = "--data-port", paramLabel = "PORT", description = "data connection port (0: any free)")
  Integer dataPort;

  @Option(names = "--http-port", paramLabel = "PORT", description = "HTTP port (0: any free)")
  Integer httpPort;

  @Option(names = {"-v", "--verbose"}, description = "log at debug level, Hazelcast included")
  boolean verbose;

  @Override
  public Integer call() {
    if (verbose) {
      Logging.verbose();
    }
    PrintWriter err = spec.commandLine().getErr();
    NodeConfig config;
    Config hazelcast;
    try {
      config = loadConfig();
      LocalAddress.check("host", config.host());
      LocalAddress.check("bridge.host", config.bridge().host());
      LocalAddress.check("http.host", config.http().host());
      hazelcast = HazelcastConfigs.load(clusterConfig, "--cluster-config");
    } catch (ConfigException | XferException e) {
      err.println("xfernode: config error: " + e.getMessage());
      return EXIT_CONFIG;
    }
    try {
      Future<XferNode> starting = XferNode.start(config, hazelcast, new VertxOptions());
      // registered at once: a SIGTERM that arrives while the node starts must stop it too
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(starting), "xfernode-shutdown"));
      await(starting, 120);
      return RUNNING;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ConfigException || cause instanceof XferException) {
        err.println("xfernode: config error: " + cause.getMessage());
        return EXIT_CONFIG;
      }
      err.println("xfernode: cannot start: " + cause);
      return EXIT_FAILED;
    } catch (Exception e) {
      err.println("xfernode: cannot start: " + e);
      return EXIT_FAILED;
    }
  }

  private NodeConfig loadConfig() {
    JsonObject flags = flags();
    Vertx scratch = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      return await(NodeConfigLoader.load(scratch, new ConfigLayers(conf, System.getenv(), properties(), flags)), 30);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new ConfigException("config", String.valueOf(e.getCause()));
    } catch (Exception e) {
      throw new ConfigException("config", e.toString());
    } finally {
      scratch.close();
    }
  }

  JsonObject flags() {
    JsonObject flags = new JsonObject();
    if (nodeId != null) {
      flags.put("nodeId", nodeId);
    }
    if (host != null) {
      flags.put("host", host);
    }
    if (roots != null) {
      JsonObject r = new JsonObject();
      for (String pair : roots) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new ConfigException("--root", "must be NAME=PATH, got \"" + pair + "\"");
        }
        r.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
      flags.put("roots", r);
    }
    if (bridgePort != null) {
      flags.put("bridge", new JsonObject().put("port", bridgePort));
    }
    if (dataPort != null) {
      flags.put("data", new JsonObject().put("port", dataPort));
    }
    if (httpPort != null) {
      flags.put("http", new JsonObject().put("port", httpPort));
    }
    return flags;
  }

  private static java.util.Map<String, String> properties() {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    System.getProperties().forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
    return out;
  }

  private static void stop(Future<XferNode> starting) {
    XferNode node;
    try {
      node = await(starting, STOP_SECONDS);
    } catch (Exception e) {
      return; // it never started, and cleaned up after itself
    }
    try {
      await(node.stop(), STOP_SECONDS);
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(NodeCommand.class).warn("did not stop cleanly within {} s: {}", STOP_SECONDS,
        e.toString());
    }
  }

  private static <T> T await(Future<T> future, long seconds) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
  }

  static final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[]{"xfernode " + Version.VERSION};
    }
  }
}
