package io.xfernode.node.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Logging is configured once, by logback.xml; {@code --verbose} only raises levels. */
final class Logging {

  private Logging() {
  }

  static void verbose() {
    level(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
    level("io.xfernode", Level.DEBUG);
    level("io.vertx", Level.DEBUG);
    level("com.hazelcast", Level.DEBUG);
    level("io.netty", Level.INFO);
  }

  private static void level(String name, Level level) {
    if (LoggerFactory.getLogger(name) instanceof Logger) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(level);
    }
  }
}
