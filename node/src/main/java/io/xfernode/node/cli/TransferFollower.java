package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows one transfer to its final state through {@code xfer.events.<id>}, feeding its progress to a
 * {@link ProgressRenderer}. Events are what it waits for; the status is asked for too, when nothing came
 * for a second and at least every few seconds, so a missed final event, or one published before the
 * subscription reached the cluster, can never leave it waiting for ever.
 */
final class TransferFollower {

  /** How long without any event before the status is asked for. */
  static final long QUIET_MS = 1000;
  /** The status is asked for at least this often, events or not. */
  static final long STATUS_EVERY_MS = 5000;

  private final BridgeConnection bridge;
  private final String id;
  private final ProgressRenderer progress;
  private final Consumer<JsonObject> onEvent;

  /**
   * @param onEvent sees every event but progress (state, info, error, done), for {@code -v}; the
   *                progress line has been ended before it is called. Null: nobody.
   */
  TransferFollower(BridgeConnection bridge, String id, ProgressRenderer progress, Consumer<JsonObject> onEvent) {
    this.bridge = bridge;
    this.id = id;
    this.progress = progress;
    this.onEvent = onEvent;
  }

  /** Subscribes to the transfer's events; call it before the transfer is submitted, so that none is missed. */
  void subscribe() throws UnreachableException {
    bridge.register(Addresses.events(id));
  }

  /** Waits for the final state; returns the final status. */
  JsonObject awaitEnd() throws BridgeException, UnreachableException, InterruptedException {
    long lastStatusAt = System.nanoTime();
    while (true) {
      JsonObject frame = bridge.events().poll(QUIET_MS, TimeUnit.MILLISECONDS);
      if (frame != null) {
        String type = frame.getString("type");
        if ("closed".equals(type)) {
          throw new UnreachableException(frame.getString("message"));
        }
        if ("err".equals(type)) {
          // the bridge refused the subscription (no token, a wrong one, an address not permitted)
          throw BridgeConnection.failure(frame);
        }
        if (frame.getValue("body") instanceof JsonObject event && id.equals(event.getString("id"))
          && handle(event)) {
          return status();
        }
      }
      if (frame == null || System.nanoTime() - lastStatusAt > TimeUnit.MILLISECONDS.toNanos(STATUS_EVERY_MS)) {
        lastStatusAt = System.nanoTime();
        JsonObject status = status();
        if (ExitCodes.isFinal(status.getString("state"))) {
          return status;
        }
        if (frame == null && status.getValue("bytes") != null && "RUNNING".equals(status.getString("state"))) {
          progress.update(status);
        } else {
          progress.tick();
        }
      }
    }
  }

  /** @return whether the event is the final state */
  private boolean handle(JsonObject event) {
    if ("progress".equals(event.getString("type"))) {
      progress.update(event);
      return false;
    }
    if (onEvent != null) {
      progress.finish();
      onEvent.accept(event);
    }
    return "state".equals(event.getString("type")) && ExitCodes.isFinal(event.getString("state"));
  }

  JsonObject status() throws BridgeException, UnreachableException, InterruptedException {
    return bridge.request(Addresses.STATUS, new JsonObject().put("id", id));
  }
}
