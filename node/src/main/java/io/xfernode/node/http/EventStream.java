package io.xfernode.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xfernode.api.Addresses;
import io.xfernode.api.XferException;

import java.util.Set;

/**
 * {@code GET /api/transfers/{id}/events}: the transfer's events as server-sent events, until its final
 * state. A transfer that has already ended gets one {@code state} event with its final state.
 */
final class EventStream {

  static final long KEEPALIVE_MS = 15_000;
  private static final Set<String> FINAL = Set.of("DONE", "FAILED", "CANCELLED");

  private EventStream() {
  }

  static void serve(Vertx vertx, RoutingContext ctx, String id) {
    HttpServerResponse response = ctx.response();
    // headers first: events may be written as soon as the consumer below is registered
    response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
    // listen first, then read the status: an end published in between is not missed
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.events(id));
    long[] keepalive = {-1};
    Runnable stop = () -> {
      consumer.unregister();
      vertx.cancelTimer(keepalive[0]);
    };
    consumer.handler(m -> {
      write(response, m.body());
      if ("state".equals(m.body().getString("type")) && FINAL.contains(m.body().getString("state"))) {
        stop.run();
        end(response);
      }
    });
    consumer.completion()
      .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.STATUS, new JsonObject().put("id", id),
        new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true)))
      .onSuccess(m -> {
        response.closeHandler(v -> stop.run());
        String state = m.body().getString("state");
        if (FINAL.contains(state)) {
          stop.run();
          write(response, new JsonObject().put("id", id).put("seq", 0).put("type", "state").put("state", state));
          end(response);
          return;
        }
        if (response.ended()) {
          return;
        }
        response.write(": following " + id + "\n\n");
        keepalive[0] = vertx.setPeriodic(KEEPALIVE_MS, t -> {
          if (!response.ended() && !response.closed()) {
            response.write(": keepalive\n\n");
          }
        });
      })
      .onFailure(t -> {
        stop.run();
        ctx.fail(XferException.from(t));
      });
  }

  private static void end(HttpServerResponse response) {
    if (!response.ended() && !response.closed()) {
      response.end();
    }
  }

  private static void write(HttpServerResponse response, JsonObject event) {
    if (!response.ended() && !response.closed()) {
      response.write("id: " + event.getLong("seq", 0L) + "\nevent: " + event.getString("type") + "\ndata: "
        + event.encode() + "\n\n");
    }
  }
}
