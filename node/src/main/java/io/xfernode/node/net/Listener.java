package io.xfernode.node.net;

import io.vertx.core.Future;

/** A server socket the node binds: the bridge, HTTP, the data port. */
public interface Listener {

  /** @return the port actually bound */
  Future<Integer> listen(String host, int port);

  Future<Void> close();
}
