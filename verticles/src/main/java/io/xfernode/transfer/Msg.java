package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

/**
 * The control messages between a transfer's controller (the parent) and its elements (the children),
 * on the clustered event bus. Every message is a JSON object with a protocol version and a type.
 *
 * <pre>
 * element → controller:  READY {index, listenIn?, listenOut?, total?}   PROGRESS {index, bytes}
 *                        INFO {index, info}   DONE {index, bytes, result}   ERROR {index, error}
 * controller → element:  START {inPeer?, outPeer?}   CANCEL {reason}   COMMIT {}
 * controller → agent:    SETUP {transfer, controller, controllerNode, elements: [...]}
 * anyone → controller:   CANCEL_REQUEST {reason}   (xfer.cancel on any node)
 * </pre>
 */
public final class Msg {

  public static final int VERSION = 1;

  public static final String READY = "READY";
  public static final String PROGRESS = "PROGRESS";
  public static final String INFO = "INFO";
  public static final String DONE = "DONE";
  public static final String ERROR = "ERROR";
  public static final String START = "START";
  public static final String CANCEL = "CANCEL";
  public static final String COMMIT = "COMMIT";
  public static final String SETUP = "SETUP";
  public static final String CANCEL_REQUEST = "CANCEL_REQUEST";

  private Msg() {
  }

  public static JsonObject of(String type) {
    return new JsonObject().put("v", VERSION).put("type", type);
  }

  public static JsonObject of(String type, int index) {
    return of(type).put("index", index);
  }

  public static JsonObject error(int index, XferException e) {
    return of(ERROR, index).put("error", e.toJson());
  }

  /** @return the message's type, refusing a message of another protocol version */
  public static String type(JsonObject msg) {
    int v = msg.getInteger("v", -1);
    if (v != VERSION) {
      throw new XferException(400, "v: unsupported control protocol version " + v + " (this node speaks " + VERSION + ")");
    }
    return msg.getString("type", "");
  }
}
