package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

/** Agent → controller: step {@code index} failed (type {@code ERROR}); the first error ends the transfer. */
public record Failure(String transfer, int index, XferException error) implements ControlMessage {

  @Override
  public String type() {
    return "ERROR";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("index", index).put("error", error.toJson());
  }

  static Failure fromJson(JsonObject json) {
    return new Failure(json.getString("transfer"), json.getInteger("index", -1),
      XferException.fromJson(json.getJsonObject("error", new JsonObject())));
  }
}
