package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Agent → controller: step {@code index} has moved {@code bytes} so far; at most every 250 ms. */
public record Progress(String transfer, int index, long bytes) implements ControlMessage {

  @Override
  public String type() {
    return "PROGRESS";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("index", index).put("bytes", bytes);
  }

  static Progress fromJson(JsonObject json) {
    return new Progress(json.getString("transfer"), json.getInteger("index"), json.getLong("bytes", 0L));
  }
}
