package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/**
 * Controller → agent: every element is done; make the results durable (the file sink's rename), release,
 * reply. With {@code verify}, a sink first reads back what it wrote and compares it with {@code checksum}
 * ({@code {"algorithm", "value"}} of the bytes that arrived).
 */
public record Commit(String transfer, JsonObject checksum, boolean verify) implements ControlMessage {

  public Commit(String transfer) {
    this(transfer, null, false);
  }

  @Override
  public String type() {
    return "COMMIT";
  }

  @Override
  public JsonObject fields() {
    JsonObject json = new JsonObject();
    if (checksum != null) {
      json.put("checksum", checksum);
    }
    return verify ? json.put("verify", true) : json;
  }

  static Commit fromJson(JsonObject json) {
    return new Commit(json.getString("transfer"), json.getJsonObject("checksum"), json.getBoolean("verify", false));
  }
}
