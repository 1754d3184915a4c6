package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Controller → agent: every element is done; make the results durable (the file sink's rename), release, reply. */
public record Commit(String transfer) implements ControlMessage {

  @Override
  public String type() {
    return "COMMIT";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject();
  }

  static Commit fromJson(JsonObject json) {
    return new Commit(json.getString("transfer"));
  }
}
