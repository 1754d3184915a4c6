package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Any node → controller: {@code xfer.cancel} was asked; the reply is the final status. */
public record CancelRequest(String transfer, String reason) implements ControlMessage {

  @Override
  public String type() {
    return "CANCEL_REQUEST";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("reason", reason);
  }

  static CancelRequest fromJson(JsonObject json) {
    return new CancelRequest(json.getString("transfer"), json.getString("reason", "cancelled by request"));
  }
}
