package io.xfernode.node.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a {@link NodeConfig} with Vert.x Config, from lowest to highest priority: the defaults shipped in
 * cluster-config, the {@code --conf} file, {@code XFER_*} environment variables, then {@code xfer.*}
 * system properties and flags.
 */
public final class NodeConfigLoader {

  /** The shipped defaults, a resource of the cluster-config module. */
  public static final String DEFAULTS = "xfernode/node-default.yaml";

  private static final Logger log = LoggerFactory.getLogger(NodeConfigLoader.class);

  private NodeConfigLoader() {
  }

  public static Future<NodeConfig> load(Vertx vertx, ConfigLayers layers) {
    ConfigStoreOptions defaults = new ConfigStoreOptions().setType(ClasspathConfigStoreFactory.TYPE)
      .setFormat("yaml").setConfig(new JsonObject().put("path", DEFAULTS));
    return retrieve(vertx, List.of(defaults)).compose(defaultTree -> {
      KeyPaths keys = new KeyPaths(defaultTree);
      List<String> unknown = new ArrayList<>();
      JsonObject env = keys.fromEnvironment(layers.environment(), unknown);
      JsonObject props = keys.fromProperties(layers.properties(), unknown);
      for (String name : unknown) {
        log.warn("ignoring {}: it names no configuration key", name);
      }
      List<ConfigStoreOptions> upper = new ArrayList<>();
      if (layers.confFile() != null) {
        if (!Files.isRegularFile(layers.confFile())) {
          return Future.failedFuture(new ConfigException("--conf", "no such file: " + layers.confFile()));
        }
        String name = layers.confFile().getFileName().toString().toLowerCase();
        upper.add(new ConfigStoreOptions().setType("file")
          .setFormat(name.endsWith(".yaml") || name.endsWith(".yml") ? "yaml" : "json")
          .setConfig(new JsonObject().put("path", layers.confFile().toAbsolutePath().toString())));
      }
      upper.add(json(env));
      upper.add(json(props));
      upper.add(json(layers.flags()));
      List<ConfigStoreOptions> all = new ArrayList<>();
      all.add(defaults);
      all.addAll(upper);
      return retrieve(vertx, upper).compose(explicit -> retrieve(vertx, all)
        .map(merged -> NodeConfig.fromJson(merged, explicit)))
        .recover(t -> Future.failedFuture(t instanceof ConfigException ? t
          : new ConfigException(layers.confFile() == null ? "config" : "--conf", oneLine(t))));
    });
  }

  private static ConfigStoreOptions json(JsonObject tree) {
    return new ConfigStoreOptions().setType("json").setConfig(tree);
  }

  private static Future<JsonObject> retrieve(Vertx vertx, List<ConfigStoreOptions> stores) {
    // creating a retriever looks its store types up with a ServiceLoader, which reads jars
    return vertx.executeBlocking(() -> ConfigRetriever.create(vertx, new ConfigRetrieverOptions()
        .setIncludeDefaultStores(false).setScanPeriod(0).setStores(stores)), false)
      .compose(retriever -> retriever.getConfig().eventually(retriever::close));
  }

  private static String oneLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return msg.replaceAll("\\s+", " ");
  }
}
