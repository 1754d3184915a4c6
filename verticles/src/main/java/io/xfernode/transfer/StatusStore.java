package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Transfer statuses in a cluster-wide map, so that any node answers {@code xfer.status} and
 * {@code xfer.list}. Finished statuses expire after a while; running ones never do.
 */
public final class StatusStore {

  /** The name of the cluster-wide map (covered by the {@code xfer.*} map config of cluster-config). */
  public static final String MAP = "xfer.transfers";

  private final AsyncMap<String, JsonObject> map;
  private final long finishedTtlMs;

  private StatusStore(AsyncMap<String, JsonObject> map, long finishedTtlMs) {
    this.map = map;
    this.finishedTtlMs = finishedTtlMs;
  }

  public static Future<StatusStore> open(Vertx vertx, long finishedTtlMs) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP).map(m -> new StatusStore(m, finishedTtlMs));
  }

  /** @return false when {@code id} is already taken, anywhere in the cluster */
  public Future<Boolean> reserve(String id, JsonObject status) {
    return map.putIfAbsent(id, status).map(previous -> previous == null);
  }

  public Future<Void> put(String id, JsonObject status) {
    return map.put(id, status);
  }

  public Future<Void> putFinal(String id, JsonObject status) {
    return map.put(id, status, finishedTtlMs);
  }

  public Future<JsonObject> get(String id) {
    return map.get(id);
  }

  public Future<List<JsonObject>> all() {
    return map.values().map(ArrayList::new);
  }
}
