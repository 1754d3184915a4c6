package io.xfernode.node.config;

import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a node's configuration is made from, above the shipped defaults.
 *
 * @param confFile    the {@code --conf} file, or {@code null}
 * @param environment the process environment (only {@code XFER_*} variables are read)
 * @param properties  system properties (only {@code xfer.*} ones are read)
 * @param flags       values from command-line flags, as a partial config tree
 */
public record ConfigLayers(Path confFile, Map<String, String> environment, Map<String, String> properties,
                           JsonObject flags) {

  /** Layers for a node in a test or an embedding program: no environment, no properties. */
  public static ConfigLayers of(JsonObject flags) {
    return new ConfigLayers(null, Map.of(), Map.of(), flags);
  }
}
