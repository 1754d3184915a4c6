package io.xfernode.net;

import io.vertx.core.Future;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.test.EngineFixture;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens to one transfer's events from before its submit, so that a test can submit it, use the submit's
 * reply (e.g. a published endpoint) and then wait for the final status, without polling.
 */
final class Watch {

  private static final List<String> FINAL = List.of("DONE", "FAILED", "CANCELLED");

  private final EngineFixture fx;
  private final String id;
  private final List<JsonObject> infos = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final MessageConsumer<JsonObject> events;

  private Watch(EngineFixture fx, String id) {
    this.fx = fx;
    this.id = id;
    this.events = fx.vertx().eventBus().consumer(Addresses.events(id), m -> {
      JsonObject e = m.body();
      if ("info".equals(e.getString("type"))) {
        infos.add(e);
      }
      if ("state".equals(e.getString("type")) && FINAL.contains(e.getString("state"))) {
        ended.complete(null);
      }
    });
  }

  static Watch start(EngineFixture fx, String id) throws Exception {
    Watch w = new Watch(fx, id);
    EngineFixture.await(w.events.completion());
    return w;
  }

  String id() {
    return id;
  }

  /** Waits for the final state, then returns the status. */
  JsonObject finalStatus() throws Exception {
    Future<JsonObject> status = Future.fromCompletionStage(ended)
      .compose(v -> fx.engine().status(new JsonObject().put("id", id)))
      .eventually(events::unregister);
    return EngineFixture.await(status, 60);
  }

  /** @return the {@code info} of the INFO events of {@code element} */
  List<JsonObject> infos(String element) {
    return infos.stream().filter(e -> element.equals(e.getString("element")))
      .map(e -> e.getJsonObject("info")).toList();
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
