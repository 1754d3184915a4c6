package io.xfernode.node.config;

/** A configuration value that cannot be used. Its message is one line that starts with the key. */
public final class ConfigException extends RuntimeException {

  private final String key;

  public ConfigException(String key, String reason) {
    super(key + ": " + reason, null, false, false);
    this.key = key;
  }

  /** @return the dotted key path of the offending value, e.g. {@code bridge.port} */
  public String key() {
    return key;
  }
}
