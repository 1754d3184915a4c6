package io.xfernode.node.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xfernode.api.Addresses;
import io.xfernode.api.XferException;
import io.xfernode.events.EventFollower;

/**
 * {@code GET /api/transfers/{id}/events}: the transfer's events as server-sent events, each with
 * {@code id: <seq>}, up to {@code done}, after which the stream ends. A client that reconnects with
 * {@code Last-Event-ID: N} gets the events after N from the history of the node that published them
 * (which need not be this one); without it, a client gets every event that history still holds. What is
 * no longer held is said by an {@code info} event without an id ({@link EventFollower}).
 */
final class EventStream {

  static final long KEEPALIVE_MS = 15_000;
  /** The longest {@code Last-Event-ID} taken: a {@code seq} is a long. */
  private static final int MAX_ID_DIGITS = 18;

  private EventStream() {
  }

  static void serve(Vertx vertx, RoutingContext ctx, String id) {
    long after;
    try {
      after = lastEventId(ctx.request().getHeader("Last-Event-ID"));
    } catch (XferException e) {
      ctx.fail(e);
      return;
    }
    HttpServerResponse response = ctx.response();
    // headers first: events may be written as soon as the follower has caught up
    headers(response);
    EventFollower follower = new EventFollower(vertx, id, after, () -> status(vertx, id), e -> write(response, e));
    long[] keepalive = {-1};
    response.closeHandler(c -> follower.stop());
    follower.ended().onComplete(v -> {
      vertx.cancelTimer(keepalive[0]);
      end(response);
    });
    follower.start()
      .onSuccess(v -> {
        if (response.ended() || response.closed()) {
          return;
        }
        response.write(": following " + id + "\n\n");
        keepalive[0] = vertx.setPeriodic(KEEPALIVE_MS, t -> {
          if (!response.ended() && !response.closed()) {
            response.write(": keepalive\n\n");
            follower.check();
          }
        });
      })
      .onFailure(t -> ctx.fail(XferException.from(t)));
  }

  /**
   * An event stream's headers. {@code Content-Encoding: identity} keeps the node's compression off it: a
   * browser asks for gzip, and a compressor may hold an event back until more text comes.
   */
  static void headers(HttpServerResponse response) {
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache")
      .putHeader("Content-Encoding", "identity");
  }

  static long lastEventId(String header) {
    if (header == null || header.isBlank()) {
      return 0;
    }
    String value = header.trim();
    if (value.length() > MAX_ID_DIGITS || !value.chars().allMatch(Character::isDigit)) {
      throw XferException.badRequest("Last-Event-ID", "must be the seq of an event, got \""
        + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "\"");
    }
    return Long.parseLong(value);
  }

  private static Future<JsonObject> status(Vertx vertx, String id) {
    return vertx.eventBus().<JsonObject>request(Addresses.STATUS, new JsonObject().put("id", id),
      new DeliveryOptions().setLocalOnly(true)).map(Message::body);
  }

  private static void end(HttpServerResponse response) {
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }

  private static void write(HttpServerResponse response, JsonObject event) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.writeQueueFull()) {
      // a client that does not read: let it go rather than queue without bound; it may reconnect with its
      // Last-Event-ID and miss nothing the history holds
      response.reset();
      return;
    }
    Long seq = event.getLong("seq");
    response.write((seq == null ? "" : "id: " + seq + "\n") + "event: " + event.getString("type") + "\ndata: "
      + event.encode() + "\n\n");
  }
}
