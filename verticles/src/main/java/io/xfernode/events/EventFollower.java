package io.xfernode.events;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * Follows one transfer's events for one subscriber from wherever it is in the cluster, in {@code seq}
 * order, each once, up to {@code done}: it listens on {@code xfer.events.<id>} first, then asks the node
 * that publishes them (the status's {@code node}, or its {@code adoptedBy}) for what came before, and asks
 * again whenever a live event shows that some went by unseen. What no one holds any longer is said with a
 * notice: an {@code info} event without a {@code seq}, whose {@code info.missed} names the numbers missed
 * ({@code after} &lt; seq &lt; {@code before}). A transfer that ended so long ago that its history is gone gets
 * a notice and a {@code done} made from its final status. Not thread-safe: use it on one context.
 */
public final class EventFollower {

  static final long HISTORY_TIMEOUT_MS = 5_000;
  /** Live events kept while a catch-up is under way; beyond, the oldest go (a later catch-up finds them). */
  static final int MAX_BUFFERED = EventHistory.DEFAULT_CAPACITY;

  private final Vertx vertx;
  private final String id;
  private final Supplier<Future<JsonObject>> status;
  private final Handler<JsonObject> out;
  private final Promise<Void> ended = Promise.promise();
  private final ArrayDeque<JsonObject> buffered = new ArrayDeque<>();
  private MessageConsumer<JsonObject> consumer;
  private long last;
  private boolean catchingUp;

  /**
   * @param after  the last {@code seq} the subscriber has, 0 for none: it gets every event after it
   * @param status the transfer's status (2.3), which names the node that publishes its events
   * @param out    takes each event, and each notice, in order
   */
  public EventFollower(Vertx vertx, String id, long after, Supplier<Future<JsonObject>> status,
                       Handler<JsonObject> out) {
    this.vertx = vertx;
    this.id = id;
    this.last = after;
    this.status = status;
    this.out = out;
  }

  /** @return completes once the subscriber is caught up and follows live; fails as the status does (404…) */
  public Future<Void> start() {
    consumer = vertx.eventBus().consumer(Addresses.events(id), m -> live(m.body()));
    catchingUp = true;
    // a follower that never started has not ended: its subscriber answers the failure instead
    return consumer.completion().compose(v -> catchUp()).onFailure(t -> consumer.unregister());
  }

  /** Completes after {@code done} went out, or on {@link #stop()}; never if {@link #start()} failed. */
  public Future<Void> ended() {
    return ended.future();
  }

  /** The last {@code seq} handed out. */
  public long last() {
    return last;
  }

  /**
   * Asks the publishing node for anything this follower has not seen: a safety net for an event published
   * before the cluster knew of this subscriber, which no later event would reveal (such as {@code done}).
   */
  public void check() {
    if (!catchingUp && !ended.future().isComplete()) {
      catchingUp = true;
      // no status (the cluster map did not answer): hand out what arrived live, with a notice
      catchUp().onFailure(t -> replay(new JsonObject(), null));
    }
  }

  public void stop() {
    if (consumer != null) {
      consumer.unregister();
    }
    ended.tryComplete();
  }

  private void live(JsonObject event) {
    if (ended.future().isComplete()) {
      return;
    }
    long seq = event.getLong("seq", 0L);
    if (catchingUp) {
      if (buffered.size() == MAX_BUFFERED) {
        buffered.removeFirst();
      }
      buffered.addLast(event);
    } else if (seq == last + 1) {
      emit(event);
    } else if (seq > last + 1) {
      // some went by unseen (the cluster learns of a new subscriber asynchronously): ask for them
      buffered.addLast(event);
      check();
    }
  }

  /** Status, then the publishing node's history after {@link #last}, then what arrived live meanwhile. */
  private Future<Void> catchUp() {
    return status.get().compose(s -> history(s).map(reply -> {
      replay(s, reply);
      return (Void) null;
    })).onComplete(ar -> catchingUp = false);
  }

  private Future<HistoryReply> history(JsonObject status) {
    String origin = status.getString("adoptedBy", status.getString("node"));
    if (origin == null) {
      return Future.succeededFuture(null);
    }
    return vertx.eventBus().<JsonObject>request(Addresses.history(origin), new HistoryRequest(id, last).toJson(),
        new DeliveryOptions().setSendTimeout(HISTORY_TIMEOUT_MS))
      .map(m -> HistoryReply.fromJson(m.body()))
      // a node gone, or one of another version: the events it held are lost, and the notice says so
      .otherwise((HistoryReply) null);
  }

  private void replay(JsonObject status, HistoryReply reply) {
    if (reply != null && reply.known()) {
      if (!reply.events().isEmpty() && reply.first() > last + 1) {
        notice(reply.first(), "the events before seq " + reply.first() + " are no longer held");
      }
      reply.events().forEach(this::emitIfNew);
    } else if (isFinal(status) && status.getLong("eventSeq", 0L) > last) {
      // ended, and its history dropped since: what is left to tell is its final status
      long seq = status.getLong("eventSeq");
      notice(seq, "the events of this transfer are no longer held; its final status follows");
      emitIfNew(FinalStatus.done(status, seq));
    } else if (reply == null && !isFinal(status)) {
      notice(last + 1, "the node that publishes this transfer's events does not answer; following from now");
    }
    List<JsonObject> live = new ArrayList<>(buffered);
    buffered.clear();
    live.sort(Comparator.comparingLong(e -> e.getLong("seq", 0L)));
    for (JsonObject e : live) {
      long seq = e.getLong("seq", 0L);
      if (seq > last + 1 && !ended.future().isComplete()) {
        notice(seq, "the events before seq " + seq + " went by unseen and are not held");
      }
      emitIfNew(e);
    }
  }

  private static boolean isFinal(JsonObject status) {
    return List.of("DONE", "FAILED", "CANCELLED").contains(status.getString("state"));
  }

  private void notice(long before, String message) {
    if (ended.future().isComplete()) {
      return;
    }
    out.handle(new JsonObject().put("id", id).put("type", "info").put("at", java.time.Instant.now().toString())
      .put("info", new JsonObject().put("missed", new JsonObject().put("after", last).put("before", before))
        .put("message", message)));
  }

  private void emitIfNew(JsonObject event) {
    if (event.getLong("seq", 0L) > last) {
      emit(event);
    }
  }

  private void emit(JsonObject event) {
    if (ended.future().isComplete()) {
      return;
    }
    last = event.getLong("seq", 0L);
    out.handle(event);
    if ("done".equals(event.getString("type"))) {
      stop();
    }
  }
}
