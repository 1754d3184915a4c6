package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

/**
 * One message between a transfer's controller (the parent) and the agents that host its elements (the
 * children), on the clustered event bus. Each is a versioned record: {@link #toJson()} writes it,
 * {@link #fromJson} reads any of them and refuses a message of another protocol version.
 *
 * <pre>
 * controller → agent:   SETUP   START   CANCEL   COMMIT
 * agent → controller:   READY   PROGRESS   INFO   DONE   ERROR
 * any node → controller: CANCEL_REQUEST (xfer.cancel)   STATUS_REQUEST (xfer.status)
 * </pre>
 */
public sealed interface ControlMessage
  permits Setup, Start, Cancel, Commit, Ready, Progress, Info, Done, Failure, CancelRequest,
    StatusRequest {

  /** The control protocol's version; a node refuses any other. */
  int VERSION = 2;

  /** The transfer this message is about. */
  String transfer();

  /** The message's own fields, without {@code v}, {@code type} and {@code transfer}. */
  JsonObject fields();

  /** The type on the wire: {@code SETUP}, {@code READY}, … */
  String type();

  default JsonObject toJson() {
    return fields().put("v", VERSION).put("type", type()).put("transfer", transfer());
  }

  /**
   * @throws XferException 400 for a message of another version, of an unknown type, or without a transfer
   */
  static ControlMessage fromJson(JsonObject json) {
    int v = json.getInteger("v", -1);
    if (v != VERSION) {
      throw XferException.badRequest("v", "control protocol version " + v + " is not spoken here (only "
        + VERSION + ")");
    }
    String transfer = json.getString("transfer");
    if (transfer == null || transfer.isEmpty()) {
      throw XferException.badRequest("transfer", "is required");
    }
    String type = json.getString("type", "");
    return switch (type) {
      case "SETUP" -> Setup.fromJson(json);
      case "START" -> Start.fromJson(json);
      case "CANCEL" -> Cancel.fromJson(json);
      case "COMMIT" -> Commit.fromJson(json);
      case "READY" -> Ready.fromJson(json);
      case "PROGRESS" -> Progress.fromJson(json);
      case "INFO" -> Info.fromJson(json);
      case "DONE" -> Done.fromJson(json);
      case "ERROR" -> Failure.fromJson(json);
      case "CANCEL_REQUEST" -> CancelRequest.fromJson(json);
      case "STATUS_REQUEST" -> StatusRequest.fromJson(json);
      default -> throw XferException.badRequest("type", "unknown control message " + type);
    };
  }
}
