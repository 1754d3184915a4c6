package io.xfernode.link;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

/**
 * Where a listening element listens, as its peer learns it through READY and START.
 *
 * @param address the TCP address to connect to
 * @param parent  the event-bus address of the listener's {@code ParentSocket}, which the connecting side
 *                registers with as a child; {@code null} when the listener keeps no parent (an external peer)
 */
public record Endpoint(SocketAddress address, String parent) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", address.host()).put("port", address.port());
    if (parent != null) {
      json.put("parent", parent);
    }
    return json;
  }

  public static Endpoint fromJson(JsonObject json) {
    return json == null ? null : new Endpoint(SocketAddress.inetSocketAddress(json.getInteger("port"),
      json.getString("host")), json.getString("parent"));
  }
}
