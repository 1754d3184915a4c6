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

  StatusStore(AsyncMap<String, JsonObject> map, long finishedTtlMs) {
    this.map = map;
    this.finishedTtlMs = finishedTtlMs;
  }

  public static Future<StatusStore> open(Vertx vertx, long finishedTtlMs) {
    return vertx.sharedData().<String, JsonObject>getAsyncMap(MAP)
      .map(m -> new StatusStore(io.xfernode.engine.SafeAsyncMap.of(m), finishedTtlMs));
  }

  /**
   * Takes {@code id} for a new transfer. The id of a transfer refused at setup (it FAILED and never ran) is
   * free again.
   *
   * @param resume whether the new transfer resumes an earlier one: it may then take the id of any transfer
   *               that FAILED or was CANCELLED
   * @return false when {@code id} is already taken, anywhere in the cluster
   */
  public Future<Boolean> reserve(String id, JsonObject status, boolean resume) {
    return map.putIfAbsent(id, status).compose(previous -> {
      if (previous == null) {
        return Future.succeededFuture(true);
      }
      String state = previous.getString("state", "");
      boolean refused = state.equals(State.FAILED.name()) && previous.getValue("runningAt") == null;
      boolean ended = state.equals(State.FAILED.name()) || state.equals(State.CANCELLED.name());
      if (refused || resume && ended) {
        return map.replaceIfPresent(id, previous, status);
      }
      return Future.succeededFuture(false);
    });
  }

  /** @return whether {@code status} was stored: false when {@code id} has one already */
  public Future<Boolean> putIfAbsent(String id, JsonObject status) {
    return map.putIfAbsent(id, status).map(previous -> previous == null);
  }

  public Future<Void> put(String id, JsonObject status) {
    return map.put(id, status);
  }

  /** Replaces {@code expected} with {@code status} atomically; @return false if the stored status was another */
  public Future<Boolean> replace(String id, JsonObject expected, JsonObject status) {
    return map.replaceIfPresent(id, expected, status);
  }

  public Future<Void> putFinal(String id, JsonObject status) {
    return map.put(id, status, finishedTtlMs);
  }

  /** A writer that keeps one transfer's writes in order; see {@link Writer}. */
  public Writer writer(String id) {
    return new Writer(id);
  }

  public Future<JsonObject> get(String id) {
    return map.get(id);
  }

  public Future<List<JsonObject>> all() {
    return map.values().map(ArrayList::new);
  }

  /**
   * One transfer's status writes, one at a time and in order. Two writes in flight for the same key
   * may land in either order: when a member dies, a write it owned is retried and may land after a
   * later one, so a final status could be overwritten by an older running one. A writer therefore
   * waits for each write before the next, and replaces a queued running status with a newer one.
   * Not thread-safe: use it from the transfer's own context.
   */
  public final class Writer {

    private final String id;
    private Future<Void> last = Future.succeededFuture();
    private JsonObject queued;

    private Writer(String id) {
      this.id = id;
    }

    /** Writes a running status, after the writes before it; a newer one replaces it while it waits. */
    public void put(JsonObject status) {
      boolean waiting = queued != null;
      queued = status;
      if (!waiting) {
        last = last.transform(ar -> {
          JsonObject next = queued;
          queued = null;
          return next == null ? Future.succeededFuture() : map.put(id, next);
        });
      }
    }

    /**
     * Writes the final status after every earlier write, dropping a running one still queued. A
     * failed attempt (a member leaving can fail a write in flight) is tried once more.
     */
    public Future<Void> putFinal(JsonObject status) {
      queued = null;
      last = last.transform(ar -> map.put(id, status, finishedTtlMs)
        .recover(t -> map.put(id, status, finishedTtlMs)));
      return last;
    }
  }
}
