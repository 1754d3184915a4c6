package io.xfernode.test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.NodeEnv;
import io.xfernode.engine.ClusterView;
import io.xfernode.engine.Engine;
import io.xfernode.glue.GlueTable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A real engine on one (non-clustered) Vert.x, with a temporary {@code data} root, driven from the test
 * thread. {@link #run} submits a transfer and waits for its final event; nothing sleeps.
 */
public final class EngineFixture implements AutoCloseable {

  public static final String NODE = "n0";

  private final Vertx vertx;
  private final Engine engine;
  private final Path root;

  private EngineFixture(Vertx vertx, Engine engine, Path root) {
    this.vertx = vertx;
    this.engine = engine;
    this.root = root;
  }

  public static EngineFixture start() throws Exception {
    return start(ElementRegistry.load(), List.of("cat", "tr", "false", "sh-is-not-allowed"));
  }

  public static EngineFixture start(ElementRegistry registry, List<String> allow) throws Exception {
    return start(registry, allow, 64L << 20);
  }

  /** @param maxBufferedBytes the node's memory budget: a small one makes small rings */
  public static EngineFixture start(ElementRegistry registry, List<String> allow, long maxBufferedBytes)
    throws Exception {
    return start(registry, allow, maxBufferedBytes, 64);
  }

  /** @param maxTransfers the transfers the engine controls at once */
  public static EngineFixture start(ElementRegistry registry, List<String> allow, long maxBufferedBytes,
                                    int maxTransfers) throws Exception {
    Path root = Files.createTempDirectory("xfer-engine");
    Vertx vertx = Vertx.vertx(TestVertx.options());
    NodeEnv env = new NodeEnv(NODE, "127.0.0.1", Map.of("data", root), allow, maxBufferedBytes, NodeEnv.DEFAULT_CHUNK);
    Engine engine = await(Engine.start(vertx, new Engine.Config(env, registry, GlueTable.standard(),
      ClusterView.single(NODE), maxTransfers, 60_000)));
    return new EngineFixture(vertx, engine, root);
  }

  public Vertx vertx() {
    return vertx;
  }

  public Engine engine() {
    return engine;
  }

  /**
   * Keeps every control message of {@code type} (SETUP, COMMIT, ...) this node sends from now on.
   *
   * @return the messages' bodies, as they are sent; safe to read from the test thread
   */
  public List<JsonObject> sent(String type) {
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    vertx.eventBus().addOutboundInterceptor(dc -> {
      if (dc.message().body() instanceof JsonObject body && type.equals(body.getString("type"))) {
        seen.add(body);
      }
      dc.next();
    });
    return seen;
  }

  /** The {@code data} root. */
  public Path root() {
    return root;
  }

  /**
   * Submits {@code spec} (an id is added if it has none) and waits for the transfer's final event.
   *
   * @return the final status
   */
  public JsonObject run(JsonObject spec) throws Exception {
    return await(runAsync(spec), 120);
  }

  public Future<JsonObject> runAsync(JsonObject spec) {
    JsonObject s = spec.copy();
    if (!s.containsKey("id")) {
      s.put("id", "t-" + UUID.randomUUID());
    }
    String id = s.getString("id");
    CompletableFuture<Void> ended = new CompletableFuture<>();
    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(Addresses.events(id), m -> {
      String type = m.body().getString("type");
      if ("state".equals(type) && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    return events.completion()
      .compose(v -> engine.submit(s).recover(t -> Future.succeededFuture(null)))
      .compose(v -> Future.fromCompletionStage(ended))
      .compose(v -> engine.status(new JsonObject().put("id", id)))
      .eventually(events::unregister);
  }

  /** A submitted transfer: the submit's reply, and its final status to come. */
  public record Launched(JsonObject reply, Future<JsonObject> finalStatus) {
    public JsonObject awaitFinal() throws Exception {
      return await(finalStatus, 120);
    }
  }

  /** Submits {@code spec} (which must carry an id) and returns once it runs, with its final status to come. */
  public Launched launch(JsonObject spec) throws Exception {
    String id = spec.getString("id");
    CompletableFuture<Void> ended = new CompletableFuture<>();
    MessageConsumer<JsonObject> events = vertx.eventBus().consumer(Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    await(events.completion());
    JsonObject reply;
    try {
      reply = await(engine.submit(spec));
    } catch (Exception e) {
      events.unregister();
      throw e;
    }
    Future<JsonObject> last = Future.fromCompletionStage(ended)
      .compose(v -> engine.status(new JsonObject().put("id", id)))
      .eventually(events::unregister);
    return new Launched(reply, last);
  }

  /** Submits and returns the submit's reply (or its failure). */
  public Future<JsonObject> submit(JsonObject spec) {
    return engine.submit(spec);
  }

  /** @return the failure code of {@code future}, which must fail */
  public static int failureCode(Future<?> future) throws Exception {
    try {
      await(future);
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (io.xfernode.api.XferException e) {
      return e.code();
    }
    throw new AssertionError("expected a failure");
  }

  public static <T> T await(Future<T> future) throws Exception {
    return await(future, 60);
  }

  public static <T> T await(Future<T> future, long seconds) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception) {
        throw (Exception) e.getCause();
      }
      throw e;
    }
  }

  public Path path(String relative) {
    return root.resolve(relative);
  }

  @Override
  public void close() throws Exception {
    await(vertx.close());
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
