package io.xfernode.transport;

import io.vertx.core.json.JsonObject;

/**
 * The messages between a listener (the parent) and the connections it accepted or that registered with it
 * (its children), on the clustered event bus (SPEC 1.3). They share no state, so a child may live on
 * another event loop or another node.
 *
 * <pre>
 * child → parent:  OPENED {child, node, description, address}   CLOSED {child}   ERROR {child, message}
 * parent → child:  PAUSE   RESUME   SHUTDOWN {reason}
 * </pre>
 */
public final class SocketSignals {

  public static final int VERSION = 1;

  public static final String OPENED = "OPENED";
  public static final String CLOSED = "CLOSED";
  public static final String ERROR = "ERROR";
  public static final String PAUSE = "PAUSE";
  public static final String RESUME = "RESUME";
  public static final String SHUTDOWN = "SHUTDOWN";

  private SocketSignals() {
  }

  public static JsonObject of(String type) {
    return new JsonObject().put("v", VERSION).put("type", type);
  }

  public static String parentAddress(String id) {
    return "xfer.internal.parent." + id;
  }

  public static String childAddress(String id) {
    return "xfer.internal.child." + id;
  }

  /** The node-local listing of listeners, gathered by {@code xfer.listeners}. */
  public static String registryAddress(String nodeId) {
    return "xfer.internal.listeners." + nodeId;
  }
}
