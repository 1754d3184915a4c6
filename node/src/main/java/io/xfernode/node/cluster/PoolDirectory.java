package io.xfernode.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.xfernode.pool.PoolDef;

import java.util.List;

/**
 * The pools of the cluster (SPEC 1.5): defined once, in a node's config or at runtime through
 * {@code xfer.pools}, and kept in a cluster-wide map. Every change is also published to every node on
 * {@link #CHANGES}, so each can apply it to its own connections at once.
 */
public final class PoolDirectory {

  public static final String MAP = "xfer.pools";
  /** Published on a change: {@code {"op": "define", "pool": {…}}} or {@code {"op": "remove", "name"}}. */
  public static final String CHANGES = "xfer.internal.pools.changes";

  private final Vertx vertx;
  private final AsyncMap<String, JsonObject> map;

  private PoolDirectory(Vertx vertx, AsyncMap<String, JsonObject> map) {
    this.vertx = vertx;
    this.map = map;
  }

  public static Future<PoolDirectory> open(Vertx vertx) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
      .map(m -> new PoolDirectory(vertx, io.xfernode.engine.SafeAsyncMap.of(m)));
  }

  /** The address a node answers its pools' live connection counts on. */
  public static String statsAddress(String node) {
    return "xfer.internal.pools.stats." + node;
  }

  public Future<List<PoolDef>> all() {
    return map.values().map(values -> values.stream().map(json -> PoolDef.fromJson("pool", json))
      .sorted(java.util.Comparator.comparing(PoolDef::name)).toList());
  }

  /** Defines a pool from a node's config, unless the cluster has one of that name already. */
  public Future<Void> defineIfAbsent(PoolDef def) {
    return map.putIfAbsent(def.name(), def.toJson()).compose(previous -> previous == null
      ? publish(new JsonObject().put("op", "define").put("pool", def.toJson())) : Future.succeededFuture());
  }

  public Future<Void> define(PoolDef def) {
    return map.put(def.name(), def.toJson())
      .compose(v -> publish(new JsonObject().put("op", "define").put("pool", def.toJson())));
  }

  /** @return whether the pool existed */
  public Future<Boolean> remove(String name) {
    return map.remove(name).compose(previous -> previous == null ? Future.succeededFuture(false)
      : publish(new JsonObject().put("op", "remove").put("name", name)).map(true));
  }

  private Future<Void> publish(JsonObject change) {
    vertx.eventBus().publish(CHANGES, change);
    return Future.succeededFuture();
  }
}
