package io.xfernode.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.ElementType;
import io.xfernode.element.Role;
import io.xfernode.plan.ChainElement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed, validated transfer spec (SPEC 2.2): the id, the user's chain and the options. Everything that
 * can be checked without the nodes' file systems is checked here, and every failure names its field.
 */
public record TransferSpec(String id, boolean idChosen, List<ChainElement> chain, TransferOptions options,
                           JsonObject json) {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final int MAX_FILTERS = 16;
  private static final Set<String> KEYS = JsonFields.keys("id", "source", "filters", "sink", "options");
  private static final Pattern NODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  /** A spec with default options, for running a plan made elsewhere (tools and tests). */
  public static TransferSpec forPlan(String id) {
    return new TransferSpec(id, true, List.of(), TransferOptions.NONE, new JsonObject());
  }

  /**
   * @param localNode the node that takes the submit: elements without {@code node} run there
   */
  public static TransferSpec parse(JsonObject json, ElementRegistry registry, String localNode) {
    JsonFields f = JsonFields.of("", json, KEYS);
    String id = f.string("id", null);
    if (id != null && !ID.matcher(id).matches()) {
      throw XferException.badRequest("id", "must be 1 to 128 letters, digits, '.', '_' or '-', starting with a "
        + "letter or digit, got " + JsonFields.describe(id));
    }
    if (!f.has("source")) {
      throw XferException.badRequest("source", "is required");
    }
    if (!f.has("sink")) {
      throw XferException.badRequest("sink", "is required");
    }
    JsonObject source = element("source", json.getValue("source"));
    JsonObject sink = element("sink", json.getValue("sink"));
    List<JsonObject> filters = new ArrayList<>();
    JsonArray fs = f.array("filters");
    if (fs != null) {
      if (fs.size() > MAX_FILTERS) {
        throw XferException.badRequest("filters", "at most " + MAX_FILTERS + " filters, got " + fs.size());
      }
      for (int i = 0; i < fs.size(); i++) {
        filters.add(element("filters[" + i + "]", fs.getValue(i)));
      }
    }
    implyTree(source, sink);

    List<ChainElement> chain = new ArrayList<>();
    chain.add(parseElement("source", Role.SOURCE, source, registry, localNode));
    for (int i = 0; i < filters.size(); i++) {
      chain.add(parseElement("filters[" + i + "]", Role.FILTER, filters.get(i), registry, localNode));
    }
    chain.add(parseElement("sink", Role.SINK, sink, registry, localNode));
    TransferOptions options = TransferOptions.fromJson(f.object("options"));
    if (options.verify() && Boolean.TRUE.equals(source.getValue("recursive"))) {
      throw XferException.badRequest("options.verify", "a directory tree is not read back: verify works on a "
        + "single file (the checksum still covers the whole tree's stream)");
    }
    if (options.verify() && !"file".equals(sink.getValue("type"))) {
      throw XferException.badRequest("options.verify", "only a file sink is read back, and the sink is a "
        + sink.getValue("type") + " (options.checksum checks the bytes that arrive)");
    }
    if (Boolean.TRUE.equals(sink.getValue("resume")) && !options.resume()) {
      // the sink's own resume is the transfer's: its hop and its id must allow a resubmit too
      options = options.withResume();
    }
    return new TransferSpec(id == null ? io.xfernode.api.Secrets.uuid().toString() : id, id != null, chain, options, json.copy());
  }

  private static JsonObject element(String field, Object value) {
    if (value instanceof JsonObject) {
      return ((JsonObject) value).copy();
    }
    if (value instanceof String) {
      return ElementUri.parse(field, (String) value);
    }
    throw XferException.badRequest(field, "must be an object such as {\"type\": \"file\", \"path\": \"data/x\"} "
      + "or a URI such as \"file:///data/x\", got " + JsonFields.describe(value));
  }

  /** A directory tree read by a file source is written as a tree by a file sink. */
  private static void implyTree(JsonObject source, JsonObject sink) {
    if ("file".equals(source.getValue("type")) && Boolean.TRUE.equals(source.getValue("recursive"))
      && "file".equals(sink.getValue("type")) && !sink.containsKey("tree")) {
      sink.put("tree", true);
    }
  }

  static ChainElement parseElement(String name, Role role, JsonObject json, ElementRegistry registry,
                                   String localNode) {
    Object type = json.getValue("type");
    if (type == null) {
      throw XferException.badRequest(name + ".type", "is required");
    }
    if (!(type instanceof String)) {
      throw XferException.badRequest(name + ".type", "must be a string, got " + JsonFields.describe(type));
    }
    ElementType<?> et = registry.get(role, (String) type, name + ".type");
    Set<String> keys = new HashSet<>(et.optionKeys());
    keys.add("type");
    keys.add("node");
    JsonFields fields = JsonFields.of(name, json, keys);
    String node = fields.string("node", localNode);
    if (!NODE.matcher(node).matches()) {
      throw XferException.badRequest(name + ".node", "not a node id: " + JsonFields.describe(node));
    }
    Object options = et.parse(fields);
    JsonObject optionsJson = json.copy();
    optionsJson.remove("type");
    optionsJson.remove("node");
    return ChainElement.of(name, role, et, options, node, optionsJson);
  }
}
