package io.xfernode.plan;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

/**
 * One element of a plan, user's or glue, with the mechanisms it runs with.
 *
 * @param kind     {@code element} or {@code glue}
 * @param role     the user's role, or {@code null} for glue
 * @param type     the element type, or the glue's name
 * @param options  the element's options (empty for glue)
 */
public record Step(int index, String name, String kind, Role role, String type, String node, Mechanism in,
                   Mechanism out, Cost cost, JsonObject options, String describe) {

  public static final String ELEMENT = "element";
  public static final String GLUE = "glue";

  public boolean isGlue() {
    return GLUE.equals(kind);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("index", index).put("name", name).put("kind", kind);
    if (role != null) {
      json.put("role", role.label());
    }
    json.put("type", type).put("node", node);
    if (in != null) {
      json.put("in", in.name());
    }
    if (out != null) {
      json.put("out", out.name());
    }
    return json.put("cost", cost.toJson()).put("options", options.copy()).put("describe", describe);
  }

  public static Step fromJson(JsonObject json) {
    String role = json.getString("role");
    return new Step(json.getInteger("index"), json.getString("name"), json.getString("kind"),
      role == null ? null : Role.valueOf(role.toUpperCase()), json.getString("type"), json.getString("node"),
      mechanism(json.getString("in")), mechanism(json.getString("out")),
      Cost.of(json.getJsonObject("cost").getInteger("copies"), json.getJsonObject("cost").getInteger("threads")),
      json.getJsonObject("options", new JsonObject()), json.getString("describe", ""));
  }

  private static Mechanism mechanism(String s) {
    return s == null ? null : Mechanism.valueOf(s);
  }
}
