package io.xfernode.plan;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.element.Cost;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The chosen chain: every element (the user's and the glue), the mechanism of every link, the total cost
 * and an explanation of the choice. It travels as JSON to every node that runs a part of it.
 */
public record Plan(List<Step> steps, Cost cost, int alternatives, List<String> explain) {

  public Set<String> nodes() {
    Set<String> nodes = new LinkedHashSet<>();
    steps.forEach(s -> nodes.add(s.node()));
    return nodes;
  }

  public boolean zeroCopy() {
    return cost.copies() == 0;
  }

  public JsonObject toJson() {
    JsonArray elements = new JsonArray();
    JsonArray links = new JsonArray();
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      elements.add(s.toJson());
      if (i + 1 < steps.size()) {
        Step next = steps.get(i + 1);
        links.add(new JsonObject().put("from", i).put("to", i + 1).put("mechanism", s.out().name())
          .put("crossesNodes", !s.node().equals(next.node())));
      }
    }
    return new JsonObject()
      .put("elements", elements)
      .put("links", links)
      .put("nodes", new JsonArray(List.copyOf(nodes())))
      .put("cost", cost.toJson())
      .put("zeroCopy", zeroCopy())
      .put("alternatives", alternatives)
      .put("explain", new JsonArray(explain));
  }

  public static Plan fromJson(JsonObject json) {
    List<Step> steps = json.getJsonArray("elements").stream().map(o -> Step.fromJson((JsonObject) o)).toList();
    JsonObject cost = json.getJsonObject("cost");
    List<String> explain = json.getJsonArray("explain", new JsonArray()).stream().map(String::valueOf).toList();
    return new Plan(steps, Cost.of(cost.getInteger("copies"), cost.getInteger("threads")),
      json.getInteger("alternatives", 1), explain);
  }
}
