package io.xfernode.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementContext;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * What the eventbus source and sink share: a fresh data address with its consumer, and an idle timer that
 * fails the element when the client goes quiet for {@code idleTimeout}.
 */
final class BusEndpoint {

  static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

  private final ElementContext ctx;
  private final Duration idle;
  private final String waitingFor;
  private final Consumer<Throwable> onIdle;
  private MessageConsumer<Object> consumer;
  private long timer = -1;

  /** @param waitingFor what the client failed to send, for the message ("no chunk from the client") */
  BusEndpoint(ElementContext ctx, Duration idle, String waitingFor, Consumer<Throwable> onIdle) {
    this.ctx = ctx;
    this.idle = idle;
    this.waitingFor = waitingFor;
    this.onIdle = onIdle;
  }

  static Duration idleTimeout(JsonFields f) {
    Duration d = f.duration("idleTimeout", DEFAULT_IDLE);
    if (d.isZero()) {
      throw XferException.badRequest(f.field("idleTimeout"), "must be positive");
    }
    return d;
  }

  /** Listens on a new data address; completes with it. */
  Future<String> open(Handler<Message<Object>> handler) {
    String address = DataAddress.create();
    consumer = ctx.vertx().eventBus().consumer(address, handler);
    return consumer.completion().map(address);
  }

  /** (Re)starts the idle timer: the client has just been heard from, or is now awaited. */
  void touch() {
    ctx.vertx().cancelTimer(timer);
    timer = ctx.vertx().setTimer(idle.toMillis(), t -> onIdle.accept(new XferException(ErrorCode.TIMEOUT,
      ctx.name() + ".idleTimeout: " + waitingFor + " within " + idle)));
  }

  void stopTimer() {
    ctx.vertx().cancelTimer(timer);
  }

  Future<Void> close() {
    stopTimer();
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
