package io.xfernode.transport;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A connection's side of the parent/child relation: it announces itself to its listener, obeys PAUSE,
 * RESUME and SHUTDOWN, and says when it closes or fails. It may run on any thread, on any node.
 */
public final class ChildSocket {

  /** What the connection does on each signal from its parent. */
  public interface Control {
    void pause();

    void resume();

    /** Ends the connection now (an abort: the parent is going away). */
    void shutdown(String reason);
  }

  private final Vertx vertx;
  private final String parent;
  private final String id = io.xfernode.api.Secrets.uuid().toString();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final MessageConsumer<JsonObject> consumer;

  private ChildSocket(Vertx vertx, String parent, String node, String description, Control control) {
    this.vertx = vertx;
    this.parent = parent;
    this.consumer = vertx.eventBus().consumer(SocketSignals.childAddress(id), m -> on(m.body(), control));
    // announced once its address is known to the cluster, so that the parent's first signal reaches it
    consumer.completion().onComplete(ar -> {
      synchronized (this) {
        if (!closed.get()) {
          vertx.eventBus().send(parent, SocketSignals.of(SocketSignals.OPENED).put("child", id).put("node", node)
            .put("description", description).put("address", SocketSignals.childAddress(id)));
        }
      }
    });
  }

  /**
   * Registers a connection with its parent.
   *
   * @param parent the parent's address ({@link ParentSocket#address()}), possibly of another node
   */
  public static ChildSocket open(Vertx vertx, String parent, String node, String description, Control control) {
    return new ChildSocket(vertx, parent, node, description, control);
  }

  private void on(JsonObject msg, Control control) {
    switch (msg.getString("type", "")) {
      case SocketSignals.PAUSE -> control.pause();
      case SocketSignals.RESUME -> control.resume();
      case SocketSignals.SHUTDOWN -> control.shutdown(msg.getString("reason", "the listener is closing"));
      default -> {
        // a newer parent's signal: ignored
      }
    }
  }

  public String id() {
    return id;
  }

  /** Reports a failure of the connection to the parent. */
  public void error(Throwable t) {
    if (!closed.get()) {
      vertx.eventBus().send(parent, SocketSignals.of(SocketSignals.ERROR).put("child", id)
        .put("message", String.valueOf(t.getMessage())));
    }
  }

  /** Tells the parent this connection is closed, once. */
  public void closed() {
    synchronized (this) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      // after OPENED, if that went: the two are sent in this order
      vertx.eventBus().send(parent, SocketSignals.of(SocketSignals.CLOSED).put("child", id));
    }
    consumer.unregister();
  }

  /** A control for a connection that can only be ended, such as a blocking socket. */
  public static Control endOnly(Consumer<String> shutdown) {
    return new Control() {
      @Override
      public void pause() {
      }

      @Override
      public void resume() {
      }

      @Override
      public void shutdown(String reason) {
        shutdown.accept(reason);
      }
    };
  }
}
