package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.link.Endpoint;

import java.util.List;

/**
 * Agent → controller: every element of {@code node} is set up.
 *
 * @param commit whether the node needs a COMMIT at the end (an element of it makes its result durable then,
 *               e.g. a file sink's rename); without one, the node releases its elements once they are all
 *               done, and the controller sends it no COMMIT. Absent in JSON means true.
 */
public record Ready(String transfer, String node, List<Element> elements, boolean commit) implements ControlMessage {

  /**
   * What one element reports at READY.
   *
   * @param listenIn  where it listens for its input connection (TCP_LISTEN), or null
   * @param listenOut where it listens for its output connection (TCP_CONNECT), or null
   * @param endpoints what an external peer must reach (a tcp listener, an event-bus address), or null
   * @param total     the bytes a source will produce, or -1
   */
  public record Element(int index, Endpoint listenIn, Endpoint listenOut, JsonObject endpoints, long total) {

    JsonObject toJson() {
      JsonObject json = new JsonObject().put("index", index).put("total", total);
      if (listenIn != null) {
        json.put("listenIn", listenIn.toJson());
      }
      if (listenOut != null) {
        json.put("listenOut", listenOut.toJson());
      }
      if (endpoints != null && !endpoints.isEmpty()) {
        json.put("endpoints", endpoints);
      }
      return json;
    }

    static Element fromJson(JsonObject json) {
      return new Element(json.getInteger("index"), Endpoint.fromJson(json.getJsonObject("listenIn")),
        Endpoint.fromJson(json.getJsonObject("listenOut")), json.getJsonObject("endpoints"),
        json.getLong("total", -1L));
    }
  }

  public Ready {
    elements = List.copyOf(elements);
  }

  @Override
  public String type() {
    return "READY";
  }

  @Override
  public JsonObject fields() {
    JsonArray list = new JsonArray();
    elements.forEach(e -> list.add(e.toJson()));
    return new JsonObject().put("node", node).put("elements", list).put("commit", commit);
  }

  static Ready fromJson(JsonObject json) {
    return new Ready(json.getString("transfer"), json.getString("node"), json.getJsonArray("elements", new JsonArray())
      .stream().map(o -> Element.fromJson((JsonObject) o)).toList(), json.getBoolean("commit", true));
  }
}
