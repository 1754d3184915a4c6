package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The listeners of one node, each with its children. It answers the node's internal listing address,
 * which {@code xfer.listeners} gathers from every node.
 */
public final class SocketRegistry {

  private final Vertx vertx;
  private final String nodeId;
  private final Map<String, ParentSocket> parents = new ConcurrentHashMap<>();
  private MessageConsumer<Object> consumer;

  public SocketRegistry(Vertx vertx, String nodeId) {
    this.vertx = vertx;
    this.nodeId = nodeId;
  }

  /** Starts answering this node's listing address. */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(SocketSignals.registryAddress(nodeId), m -> m.reply(list()));
    return consumer.completion();
  }

  public Future<Void> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /**
   * Registers a new listener.
   *
   * @param description one line, e.g. {@code tcp 127.0.0.1:7300}
   * @param owner       who listens, e.g. {@code transfer t1 / source}
   */
  public Future<ParentSocket> listen(String description, String owner) {
    ParentSocket parent = new ParentSocket(vertx, this, nodeId, description, owner);
    return parent.open().onSuccess(p -> parents.put(p.id(), p));
  }

  void remove(ParentSocket parent) {
    parents.remove(parent.id());
  }

  /** The listeners of this node now. */
  public java.util.List<ParentSocket> listeners() {
    return new ArrayList<>(parents.values());
  }

  public JsonObject list() {
    JsonArray out = new JsonArray();
    new ArrayList<>(parents.values()).forEach(p -> out.add(p.toJson()));
    return new JsonObject().put("node", nodeId).put("listeners", out);
  }

  public String nodeId() {
    return nodeId;
  }

  public Vertx vertx() {
    return vertx;
  }
}
