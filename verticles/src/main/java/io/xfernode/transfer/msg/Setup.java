package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;
import io.xfernode.plan.Plan;

/**
 * Controller → agent: set up this node's part of a transfer.
 *
 * @param controllerNode the node whose controller runs the transfer; its loss ends the transfer
 * @param plan           the whole plan; the agent hosts the steps placed on its node
 * @param token          128 random bits, hex: what every data connection of the transfer presents
 * @param start          whether to start the elements as soon as they are set up, without waiting for
 *                       START (when no element needs a neighbour's listen address)
 * @param resume         whether the transfer keeps restart markers (options.resume)
 */
public record Setup(String transfer, String controllerNode, Plan plan, String token, boolean start,
                    boolean resume) implements ControlMessage {

  @Override
  public String type() {
    return "SETUP";
  }

  @Override
  public JsonObject fields() {
    return new JsonObject().put("controllerNode", controllerNode).put("plan", plan.toJson()).put("token", token)
      .put("start", start).put("resume", resume);
  }

  static Setup fromJson(JsonObject json) {
    return new Setup(json.getString("transfer"), json.getString("controllerNode"),
      Plan.fromJson(json.getJsonObject("plan")), json.getString("token"), json.getBoolean("start", false),
      json.getBoolean("resume", false));
  }
}
