package io.xfernode.node.control;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.cluster.NodeDirectory;

/**
 * Answers {@code xfer.nodes}: every live node of the cluster, read from the cluster-wide directory.
 *
 * <p>Like every public address it is a <em>local</em> consumer: a request is answered by the node it
 * reached (through its bridge, HTTP or a verticle on it), never sent round-robin to another node that may
 * be leaving the cluster.
 */
public final class NodesApi extends VerticleBase {

  private final NodeDirectory directory;
  private MessageConsumer<Object> consumer;

  public NodesApi(NodeDirectory directory) {
    this.directory = directory;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().localConsumer(Addresses.NODES, msg -> Requests.handle(msg, body ->
      directory.list().map(nodes -> new JsonObject().put("nodes", new JsonArray(nodes)))));
    return consumer.completion();
  }
}
