package io.xfernode.transfer;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;

import java.time.Instant;

/**
 * Publishes a transfer's events (SPEC 2.3) on {@code xfer.events.<id>}; state changes, completion and
 * errors also go to {@code xfer.events}. Progress goes out at most every 250 ms.
 */
final class Events {

  static final long PROGRESS_INTERVAL_MS = 250;

  private final EventBus bus;
  private final String id;
  private long seq;
  private long lastProgressAt;

  Events(EventBus bus, String id) {
    this(bus, id, 0);
  }

  /** @param lastSeq the last sequence number already used for this transfer (by a controller now gone) */
  Events(EventBus bus, String id, long lastSeq) {
    this.bus = bus;
    this.id = id;
    this.seq = lastSeq;
  }

  long lastSeq() {
    return seq;
  }

  private JsonObject event(String type) {
    return new JsonObject().put("id", id).put("seq", ++seq).put("type", type).put("at", Instant.now().toString());
  }

  void state(State state) {
    JsonObject e = event("state").put("state", state.name());
    bus.publish(Addresses.events(id), e);
    bus.publish(Addresses.EVENTS, e);
  }

  /** @return whether the event went out (false when one went out less than 250 ms ago) */
  boolean progress(long bytes, long total, long rateBps, boolean force) {
    long now = System.currentTimeMillis();
    if (!force && now - lastProgressAt < PROGRESS_INTERVAL_MS) {
      return false;
    }
    lastProgressAt = now;
    bus.publish(Addresses.events(id), event("progress").put("bytes", bytes).put("total", total).put("rateBps", rateBps));
    return true;
  }

  void info(String element, JsonObject info) {
    bus.publish(Addresses.events(id), event("info").put("element", element).put("info", info));
  }

  void error(JsonObject error) {
    JsonObject e = event("error").put("error", error);
    bus.publish(Addresses.events(id), e);
    bus.publish(Addresses.EVENTS, e);
  }

  void done(long bytes, long durationMs, JsonObject checksum) {
    JsonObject e = event("done").put("bytes", bytes).put("durationMs", durationMs);
    if (checksum != null) {
      e.put("checksum", checksum);
    }
    bus.publish(Addresses.events(id), e);
    bus.publish(Addresses.EVENTS, e);
  }
}
