package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/**
 * Any node → controller: {@code xfer.status} was asked of a node whose copy of the cluster-wide store is
 * behind the controller (a RUNNING status is stored late, a final one just after the end is told); the
 * reply is the status as the controller's node knows it.
 */
public record StatusRequest(String transfer) implements ControlMessage {

  @Override
  public String type() {
    return "STATUS_REQUEST";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject();
  }

  static StatusRequest fromJson(JsonObject json) {
    return new StatusRequest(json.getString("transfer"));
  }
}
