package io.xfernode.node.net;

import io.vertx.core.Future;
import io.xfernode.node.config.ConfigException;
import io.xfernode.node.config.ListenConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.BindException;
import java.util.function.Supplier;

/**
 * Binds a listener by the node's port rule: a port the user set must be free, or the node stops with an
 * error naming the key; a default port that is taken moves on to the next free one, up to
 * {@value #MAX_TRIES} ports further.
 */
public final class PortBinder {

  static final int MAX_TRIES = 100;

  private static final Logger log = LoggerFactory.getLogger(PortBinder.class);

  private PortBinder() {
  }

  /**
   * @param key     the config key, e.g. {@code bridge.port}, for messages
   * @param factory makes a fresh listener for each attempt
   * @return the bound listener and its port
   */
  public static <L extends Listener> Future<Bound<L>> bind(String key, ListenConfig config, Supplier<L> factory) {
    return attempt(key, config, factory, config.port()).onSuccess(b -> {
      if (b.port() != config.port() && config.port() != 0) {
        log.info("{} {} was in use: listening on {}:{} instead", key, config.port(), config.host(), b.port());
      }
    });
  }

  private static <L extends Listener> Future<Bound<L>> attempt(String key, ListenConfig config, Supplier<L> factory,
                                                               int port) {
    L listener = factory.get();
    return listener.listen(config.host(), port).map(actual -> new Bound<>(listener, actual))
      .recover(t -> {
        boolean inUse = isAddressInUse(t);
        if (!inUse) {
          return Future.failedFuture(new ConfigException(key, "cannot listen on " + config.host() + ":" + port
            + ": " + t.getMessage()));
        }
        if (config.explicit() || config.port() == 0) {
          return Future.failedFuture(new ConfigException(key, "port " + port + " on " + config.host()
            + " is already in use; choose another port, or 0 for any free port"));
        }
        int next = port + 1;
        if (next > 65535 || next - config.port() >= MAX_TRIES) {
          return Future.failedFuture(new ConfigException(key, "ports " + config.port() + " to " + port + " on "
            + config.host() + " are all in use"));
        }
        log.debug("{} {} is in use, trying {}", key, port, next);
        return attempt(key, config, factory, next);
      });
  }

  static boolean isAddressInUse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return true;
      }
      String m = c.getMessage();
      if (m != null && m.toLowerCase().contains("address already in use")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** A listener bound to {@code port}. */
  public record Bound<L extends Listener>(L listener, int port) {
  }
}
