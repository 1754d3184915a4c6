package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;
import io.xfernode.link.Endpoint;

import java.util.HashMap;
import java.util.Map;

/**
 * Controller → agent: start the elements of this node, now that every element is set up. {@code peers}
 * gives, by step index, the listen endpoints an element connects to: its upstream's (TCP_CONNECT) or its
 * downstream's (TCP_LISTEN).
 */
public record Start(String transfer, Map<Integer, Peers> peers) implements ControlMessage {

  /** The endpoints one step connects to; either may be null. */
  public record Peers(Endpoint in, Endpoint out) {
    JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (in != null) {
        json.put("in", in.toJson());
      }
      if (out != null) {
        json.put("out", out.toJson());
      }
      return json;
    }

    static Peers fromJson(JsonObject json) {
      return new Peers(Endpoint.fromJson(json.getJsonObject("in")), Endpoint.fromJson(json.getJsonObject("out")));
    }
  }

  public Start {
    peers = Map.copyOf(peers);
  }

  /** @return the peers of step {@code index}, or none */
  public Peers peersOf(int index) {
    return peers.getOrDefault(index, new Peers(null, null));
  }

  @Override
  public String type() {
    return "START";
  }

  @Override
  public JsonObject fields() {
    JsonObject p = new JsonObject();
    peers.forEach((index, peer) -> p.put(String.valueOf(index), peer.toJson()));
    return new JsonObject().put("peers", p);
  }

  static Start fromJson(JsonObject json) {
    Map<Integer, Peers> peers = new HashMap<>();
    JsonObject p = json.getJsonObject("peers", new JsonObject());
    for (String key : p.fieldNames()) {
      peers.put(Integer.parseInt(key), Peers.fromJson(p.getJsonObject(key)));
    }
    return new Start(json.getString("transfer"), peers);
  }
}
