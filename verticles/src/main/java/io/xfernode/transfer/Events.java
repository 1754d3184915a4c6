package io.xfernode.transfer;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.events.EventHistory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes a transfer's events (SPEC 2.3) on {@code xfer.events.<id>}, numbered from 1 without gaps, and
 * keeps them in this node's {@link EventHistory} first; state changes, errors and {@code done} also go to
 * {@code xfer.events}. Progress goes out at most every 250 ms. The end is [{@code error}], the final
 * {@code state}, then {@code done}, which is always the last event: after {@link #end} nothing more goes out.
 */
final class Events {

  static final long PROGRESS_INTERVAL_MS = 250;

  private final EventBus bus;
  private final EventHistory history;
  private final String id;
  private long seq;
  private long lastProgressAt;
  private boolean ended;

  Events(EventBus bus, EventHistory history, String id) {
    this(bus, history, id, 0);
  }

  /** @param lastSeq the last sequence number already used for this transfer (by a controller now gone) */
  Events(EventBus bus, EventHistory history, String id, long lastSeq) {
    this.bus = bus;
    this.history = history;
    this.id = id;
    this.seq = lastSeq;
  }

  long lastSeq() {
    return seq;
  }

  private JsonObject event(String type) {
    return event(type, Instant.now());
  }

  private JsonObject event(String type, Instant at) {
    return new JsonObject().put("id", id).put("seq", ++seq).put("type", type).put("at", at.toString());
  }

  private void publish(JsonObject e, boolean toAll) {
    history.record(e);
    bus.publish(Addresses.events(id), e);
    if (toAll) {
      bus.publish(Addresses.EVENTS, e);
    }
  }

  void state(State state) {
    if (!ended) {
      publish(event("state").put("state", state.name()), true);
    }
  }

  /** @return whether the event went out (false when one went out less than 250 ms ago, or the end did) */
  /** @param filesTotal the files of a tree, and {@code filesDone} of them sent; -1 for no tree */
  boolean progress(long bytes, long bytesOut, long total, long rateBps, long filesDone, long filesTotal,
                   boolean force) {
    long now = System.currentTimeMillis();
    if (ended || !force && now - lastProgressAt < PROGRESS_INTERVAL_MS) {
      return false;
    }
    lastProgressAt = now;
    // stamped with the instant the interval was measured from, so that stamps keep the interval too
    JsonObject e = event("progress", Instant.ofEpochMilli(now)).put("bytes", bytes).put("bytesOut", bytesOut)
      .put("total", total).put("rateBps", rateBps);
    if (filesTotal >= 0) {
      e.put("filesDone", filesDone).put("filesTotal", filesTotal);
    }
    publish(e, false);
    return true;
  }

  /** @param element the element that reports, or null for what the transfer itself says */
  void info(String element, JsonObject info) {
    if (!ended) {
      JsonObject e = event("info");
      if (element != null) {
        e.put("element", element);
      }
      publish(e.put("info", info), false);
    }
  }

  /**
   * Numbers the final events, [{@code error}], {@code state} and {@code done}, so that {@link #lastSeq()}
   * counts them before they go out; nothing else goes out after this. {@code end.publish()} sends them.
   */
  End end(State state, long bytes, long bytesOut, long durationMs, JsonObject checksum, JsonObject error) {
    ended = true;
    List<JsonObject> finals = new ArrayList<>();
    if (error != null && state != State.DONE) {
      finals.add(event("error").put("error", error));
    }
    finals.add(event("state").put("state", state.name()));
    JsonObject done = event("done").put("state", state.name()).put("bytes", bytes).put("bytesOut", bytesOut)
      .put("durationMs", durationMs);
    if (checksum != null) {
      done.put("checksum", checksum);
    }
    if (error != null && state != State.DONE) {
      done.put("error", error);
    }
    finals.add(done);
    return new End(finals);
  }

  /** The final events, numbered and not yet sent. */
  final class End {

    private final List<JsonObject> events;

    private End(List<JsonObject> events) {
      this.events = events;
    }

    void publish() {
      events.forEach(e -> Events.this.publish(e, true));
      history.ended(id);
    }
  }
}
