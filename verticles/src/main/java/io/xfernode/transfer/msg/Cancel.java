package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Controller → agent: stop this node's elements, undo what must not remain, release everything; then reply. */
public record Cancel(String transfer, String reason) implements ControlMessage {

  @Override
  public String type() {
    return "CANCEL";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("reason", reason);
  }

  static Cancel fromJson(JsonObject json) {
    return new Cancel(json.getString("transfer"), json.getString("reason", "cancelled"));
  }
}
