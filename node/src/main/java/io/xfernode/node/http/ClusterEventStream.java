package io.xfernode.node.http;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.xfernode.api.Addresses;
import io.xfernode.api.XferException;

/**
 * {@code GET /api/events}: what is published to {@code xfer.events} anywhere in the cluster (every transfer's
 * {@code state}, {@code error} and {@code done} events), as server-sent events, each {@code event: <type>} and
 * {@code data: <json>}. Live only: no {@code id:} lines, no history and no {@code Last-Event-ID}; a client
 * that reconnects reads the transfers' statuses again. A comment says when this node's consumer is registered
 * (events published after it reach the client), another goes out every {@link EventStream#KEEPALIVE_MS}. A
 * client that does not read is dropped rather than queued for without bound; the consumer goes with the client.
 */
final class ClusterEventStream {

  private ClusterEventStream() {
  }

  static void serve(Vertx vertx, RoutingContext ctx) {
    HttpServerResponse response = ctx.response();
    EventStream.headers(response);
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(Addresses.EVENTS);
    long[] keepalive = {-1};
    Runnable stop = () -> {
      vertx.cancelTimer(keepalive[0]);
      consumer.unregister();
    };
    response.closeHandler(v -> stop.run());
    consumer.handler(m -> {
      if (!write(response, m.body())) {
        stop.run();
      }
    });
    consumer.completion()
      .onSuccess(v -> {
        if (response.ended() || response.closed()) {
          stop.run();
          return;
        }
        response.write(": following " + Addresses.EVENTS + "\n\n");
        keepalive[0] = vertx.setPeriodic(EventStream.KEEPALIVE_MS, t -> {
          if (!response.ended() && !response.closed()) {
            response.write(": keepalive\n\n");
          }
        });
      })
      .onFailure(t -> {
        stop.run();
        if (!response.headWritten()) {
          ctx.fail(XferException.from(t));
        } else if (!response.closed()) {
          response.reset();
        }
      });
  }

  /** @return false when the client is gone or was dropped for not reading */
  private static boolean write(HttpServerResponse response, JsonObject event) {
    if (response.ended() || response.closed()) {
      return false;
    }
    if (response.writeQueueFull()) {
      // a client that does not read: let it go rather than queue without bound; it reads the lists again
      response.reset();
      return false;
    }
    response.write("event: " + event.getString("type") + "\ndata: " + event.encode() + "\n\n");
    return true;
  }
}
