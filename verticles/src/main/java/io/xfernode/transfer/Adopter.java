package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.events.EventHistory;
import io.xfernode.transfer.msg.Cancel;
import io.xfernode.transfer.msg.Setup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Ends the transfers whose controller's node left the cluster (SPEC 5), so that none stays RUNNING for
 * good. Every survivor tries; an atomic replace in the status map decides which one adopts each
 * transfer. The adopter marks it FAILED with 503, cancels its elements on every surviving node, and then
 * publishes the final events, as the controller would have.
 */
public final class Adopter {

  private static final Logger log = LoggerFactory.getLogger(Adopter.class);
  static final long CANCEL_TIMEOUT_MS = 8_000;
  /** Above any sequence number a controller publishes: where the events of a transfer whose status was lost go on. */
  static final long LOST_SEQ = 1L << 40;
  /**
   * The status a controller stores may lag its events by a few (it is stored with each progress event and
   * state change, not with each info): an adopter goes on this far above it, and says so, rather than
   * reuse a number a subscriber may have seen.
   */
  static final long SEQ_MARGIN = 1000;

  private final Vertx vertx;
  private final String self;
  private final StatusStore store;
  private final EventHistory history;

  /** @param history where this node keeps the events it publishes for the transfers it adopts */
  public Adopter(Vertx vertx, String self, StatusStore store, EventHistory history) {
    this.vertx = vertx;
    this.self = self;
    this.store = store;
    this.history = history;
  }

  /**
   * @param hosted the transfers controlled by {@code lost} that have elements on this node: should the
   *               cluster have lost their status (two nodes gone before the map's backups caught up), this
   *               node ends them all the same
   * @return completes once every transfer controlled by {@code lost} that this node won has ended
   */
  public Future<Void> nodeLeft(String lost, List<Setup> hosted) {
    return store.all().compose(all -> {
      List<Future<Void>> adopted = new ArrayList<>();
      Set<String> known = new HashSet<>();
      for (JsonObject status : all) {
        known.add(status.getString("id"));
        if (lost.equals(status.getString("node")) && !State.valueOf(status.getString("state", "PENDING")).isFinal()) {
          adopted.add(claim(status, lost));
        }
      }
      for (Setup setup : hosted) {
        if (!known.contains(setup.transfer())) {
          adopted.add(claimLost(setup, lost));
        }
      }
      return Future.join(adopted).<Void>mapEmpty();
    }).onFailure(t -> log.warn("cannot look for the transfers of node {}, which left: {}", lost, t.getMessage()));
  }

  /** A transfer whose status the cluster lost: the first survivor to put one back ends it. */
  private Future<Void> claimLost(Setup setup, String lost) {
    String id = setup.transfer();
    XferException error = error(lost);
    JsonObject failed = new JsonObject().put("id", id).put("node", lost).put("state", State.FAILED.name())
      .put("bytes", 0L).put("plan", setup.plan().toJson()).put("endedAt", Instant.now().toString())
      .put("error", error.toJson()).put("adoptedBy", self);
    return store.putIfAbsent(id, failed).compose(won -> {
      if (!won) {
        return Future.succeededFuture();
      }
      log.warn("transfer {}: its controller's node {} left the cluster, and its status with it: node {} ends it",
        id, lost, self);
      // the lost controller's last sequence number is unknown: these come after any it could have used
      return cancelEverywhere(id, failed, lost).compose(v -> endEvents(failed, lost, 0, LOST_SEQ));
    });
  }

  private static XferException error(String lost) {
    return new XferException(ErrorCode.UNAVAILABLE, "node " + lost + ", which controlled the transfer, left the cluster");
  }

  private Future<Void> claim(JsonObject running, String lost) {
    String id = running.getString("id");
    XferException error = error(lost);
    JsonObject failed = running.copy().put("state", State.FAILED.name()).put("endedAt", Instant.now().toString())
      .put("error", error.toJson()).put("adoptedBy", self);
    return store.replace(id, running, failed).compose(won -> {
      if (!won) {
        return Future.succeededFuture();
      }
      log.warn("transfer {}: its controller's node {} left the cluster: node {} ends it", id, lost, self);
      long stored = running.getLong("eventSeq", 0L);
      return cancelEverywhere(id, failed, lost).compose(v -> endEvents(failed, lost, stored, stored + SEQ_MARGIN));
    });
  }

  /**
   * Stores the final status, then publishes the end as the controller would have, numbered from {@code from}:
   * first an {@code info} that names the numbers the lost controller may have used, which no subscriber
   * will see now, then the error, the final state and {@code done}.
   */
  private Future<Void> endEvents(JsonObject failed, String lost, long stored, long from) {
    String id = failed.getString("id");
    Events events = new Events(vertx.eventBus(), history, id, from);
    JsonObject missed = new JsonObject().put("after", stored).put("before", from + 1)
      .put("message", "node " + lost + ", which controlled the transfer, left the cluster: events after seq "
        + stored + " may be lost");
    JsonObject error = failed.getJsonObject("error");
    long durationMs = failed.getString("startedAt") == null ? 0
      : Math.max(0, Instant.parse(failed.getString("endedAt")).toEpochMilli()
        - Instant.parse(failed.getString("startedAt")).toEpochMilli());
    events.info(null, new JsonObject().put("missed", missed));
    Events.End end = events.end(State.FAILED, failed.getLong("bytes", 0L), failed.getLong("bytesOut", 0L),
      durationMs, failed.getJsonObject("checksum"), error);
    failed.put("eventSeq", events.lastSeq());
    return store.putFinal(id, failed).otherwiseEmpty().onComplete(v -> end.publish()).mapEmpty();
  }

  /** CANCEL to every surviving node of the plan, this one included; waits for each (or a timeout). */
  private Future<Void> cancelEverywhere(String id, JsonObject status, String lost) {
    JsonArray nodes = status.getJsonObject("plan", new JsonObject()).getJsonArray("nodes", new JsonArray());
    JsonObject cancel = new Cancel(id, "node " + lost + ", the transfer's controller, left the cluster").toJson();
    List<Future<?>> answers = new ArrayList<>();
    for (Object n : nodes) {
      if (!lost.equals(n)) {
        answers.add(vertx.eventBus().request(Addresses.agent(String.valueOf(n)), cancel,
          new DeliveryOptions().setSendTimeout(CANCEL_TIMEOUT_MS)));
      }
    }
    return Future.join(answers).otherwiseEmpty().mapEmpty();
  }
}
