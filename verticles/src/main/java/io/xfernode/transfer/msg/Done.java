package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Agent → controller: step {@code index} has done its whole part; {@code result} holds e.g. its checksum. */
public record Done(String transfer, int index, long bytes, JsonObject result) implements ControlMessage {

  @Override
  public String type() {
    return "DONE";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("index", index).put("bytes", bytes).put("result", result);
  }

  static Done fromJson(JsonObject json) {
    return new Done(json.getString("transfer"), json.getInteger("index"), json.getLong("bytes", 0L),
      json.getJsonObject("result", new JsonObject()));
  }
}
