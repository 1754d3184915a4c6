package io.xfernode.node.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.XmlConfigBuilder;
import io.xfernode.node.config.ConfigException;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Finds and parses the Hazelcast config: {@code --cluster-config}, else {@code -Dvertx.hazelcast.config},
 * else the one-host loopback default shipped in cluster-config. Unlike Hazelcast's own lookup, a missing
 * file is an error, never a silent fall back to multicast defaults.
 */
public final class HazelcastConfigs {

  /** The default: one host, TCP-IP join on loopback. */
  public static final String DEFAULT = "classpath:xfernode/hazelcast-default.xml";
  public static final String MEMBERS_EXAMPLE = "classpath:xfernode/hazelcast-members.xml";
  public static final String KUBERNETES_EXAMPLE = "classpath:xfernode/hazelcast-kubernetes.xml";

  private HazelcastConfigs() {
  }

  /**
   * @param location a file path or {@code classpath:name}; {@code null} for the system property or default
   * @param key      how the user named it, for messages ({@code --cluster-config})
   */
  public static Config load(String location, String key) {
    if (location == null) {
      location = System.getProperty("vertx.hazelcast.config");
      key = "-Dvertx.hazelcast.config";
    }
    if (location == null || location.isBlank()) {
      location = DEFAULT;
      key = "default cluster config";
    }
    try (InputStream in = open(location, key)) {
      Config config = new XmlConfigBuilder(in).build();
      config.setClassLoader(HazelcastConfigs.class.getClassLoader());
      return config;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replaceAll("\\s+", " ");
      throw new ConfigException(key, "cannot read Hazelcast config " + location + ": " + msg);
    }
  }

  private static InputStream open(String location, String key) throws java.io.IOException {
    if (location.startsWith("classpath:")) {
      String name = location.substring("classpath:".length());
      InputStream in = HazelcastConfigs.class.getClassLoader().getResourceAsStream(name);
      if (in == null) {
        throw new ConfigException(key, "no such resource on the class path: " + name);
      }
      return in;
    }
    Path path = Paths.get(location);
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(key, "no such file: " + location);
    }
    return Files.newInputStream(path);
  }
}
