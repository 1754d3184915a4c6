package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A listener's side of the parent/child relation: it knows its children only from their messages, and
 * closing it tells every child to shut down and waits (briefly) for each to say it closed.
 */
public final class ParentSocket {

  private static final Logger log = LoggerFactory.getLogger(ParentSocket.class);
  static final long SHUTDOWN_WAIT_MS = 2000;

  private final Vertx vertx;
  private final SocketRegistry registry;
  private final String id = io.xfernode.api.Secrets.uuid().toString();
  private final String node;
  private final String description;
  private final String owner;
  private final String openedAt = Instant.now().toString();
  private final Map<String, JsonObject> children = new ConcurrentHashMap<>();
  private final Map<String, Promise<Void>> closing = new ConcurrentHashMap<>();
  private final List<Handler<JsonObject>> closedHandlers = new CopyOnWriteArrayList<>();
  private MessageConsumer<JsonObject> consumer;
  private volatile boolean closed;

  ParentSocket(Vertx vertx, SocketRegistry registry, String node, String description, String owner) {
    this.vertx = vertx;
    this.registry = registry;
    this.node = node;
    this.description = description;
    this.owner = owner;
  }

  Future<ParentSocket> open() {
    consumer = vertx.eventBus().consumer(SocketSignals.parentAddress(id), m -> onSignal(m.body()));
    return consumer.completion().map(this);
  }

  private void onSignal(JsonObject msg) {
    String child = msg.getString("child");
    if (child == null) {
      return;
    }
    switch (msg.getString("type", "")) {
      case SocketSignals.OPENED -> {
        if (closed) {
          vertx.eventBus().send(msg.getString("address"), SocketSignals.of(SocketSignals.SHUTDOWN)
            .put("reason", "the listener is closed"));
          return;
        }
        children.put(child, new JsonObject().put("id", child).put("node", msg.getString("node"))
          .put("description", msg.getString("description")).put("address", msg.getString("address"))
          .put("openedAt", Instant.now().toString()));
      }
      case SocketSignals.CLOSED -> {
        JsonObject gone = children.remove(child);
        Promise<Void> waiting = closing.remove(child);
        if (waiting != null) {
          waiting.tryComplete();
        }
        if (gone != null) {
          closedHandlers.forEach(h -> h.handle(gone));
        }
      }
      case SocketSignals.ERROR -> log.debug("listener {}: child {} reports {}", description, child, msg.getString("message"));
      default -> log.debug("listener {}: ignoring signal {}", description, msg.getString("type"));
    }
  }

  public String id() {
    return id;
  }

  /** The event-bus address children send their signals to; it goes to peers in READY/START. */
  public String address() {
    return SocketSignals.parentAddress(id);
  }

  /** Called with a child's description when it closes. */
  public ParentSocket childClosedHandler(Handler<JsonObject> handler) {
    closedHandlers.add(handler);
    return this;
  }

  public int childCount() {
    return children.size();
  }

  /** Sends PAUSE or RESUME to every child. */
  public void signalChildren(String type) {
    children.values().forEach(c -> vertx.eventBus().send(c.getString("address"), SocketSignals.of(type)));
  }

  /**
   * Closes the listener. When {@code abortChildren}, tells every child to shut down (the listener's owner
   * failed or was cancelled); otherwise the children finish on their own, as a connection that has all its
   * data still has to be read to the end. Either way it waits for their CLOSED, at most 2 s, then stops
   * listening for signals.
   */
  public Future<Void> close(String reason, boolean abortChildren) {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    registry.remove(this);
    List<Future<Void>> waits = new ArrayList<>();
    for (JsonObject c : children.values()) {
      Promise<Void> p = Promise.promise();
      closing.put(c.getString("id"), p);
      waits.add(p.future());
      if (abortChildren) {
        vertx.eventBus().send(c.getString("address"), SocketSignals.of(SocketSignals.SHUTDOWN).put("reason", reason));
      }
    }
    long timer = waits.isEmpty() ? -1 : vertx.setTimer(SHUTDOWN_WAIT_MS, t -> closing.values().forEach(Promise::tryComplete));
    return Future.join(new ArrayList<>(waits)).transform(ar -> {
      vertx.cancelTimer(timer);
      return consumer == null ? Future.<Void>succeededFuture() : consumer.unregister();
    });
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("node", node).put("description", description).put("owner", owner)
      .put("openedAt", openedAt).put("children", new JsonArray(new ArrayList<>(children.values())));
  }
}
