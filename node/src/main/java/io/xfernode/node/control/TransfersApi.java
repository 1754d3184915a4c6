package io.xfernode.node.control;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.Caller;
import io.xfernode.engine.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The transfer addresses of the public API ({@code xfer.submit}, {@code xfer.plan}, {@code xfer.status},
 * {@code xfer.list}, {@code xfer.cancel}, {@code xfer.listeners}), served by this node's engine. Local consumers, like every
 * public address: a request is answered by the node it reached.
 */
public final class TransfersApi extends VerticleBase {

  private final Engine engine;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();

  public TransfersApi(Engine engine) {
    this.engine = engine;
  }

  @Override
  public Future<?> start() {
    Map<String, BiFunction<JsonObject, Caller, Future<JsonObject>>> routes = Map.of(
      Addresses.SUBMIT, engine::submit,
      Addresses.PLAN, (request, caller) -> engine.plan(request),
      Addresses.STATUS, (request, caller) -> engine.status(request),
      Addresses.LIST, (request, caller) -> engine.list(request),
      Addresses.CANCEL, engine::cancel,
      Addresses.LISTENERS, (request, caller) -> engine.listeners(request));
    List<Future<Void>> registered = new ArrayList<>();
    routes.forEach((address, handler) -> {
      MessageConsumer<Object> c = vertx.eventBus().<Object>localConsumer(address, msg -> Requests.handleAs(msg, handler));
      consumers.add(c);
      registered.add(c.completion());
    });
    return Future.all(registered);
  }
}
