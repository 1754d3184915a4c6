package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/** Agent → controller: something step {@code index} wants known, e.g. the connection it made. */
public record Info(String transfer, int index, JsonObject info) implements ControlMessage {

  @Override
  public String type() {
    return "INFO";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("index", index).put("info", info);
  }

  static Info fromJson(JsonObject json) {
    return new Info(json.getString("transfer"), json.getInteger("index"), json.getJsonObject("info",
      new JsonObject()));
  }
}
