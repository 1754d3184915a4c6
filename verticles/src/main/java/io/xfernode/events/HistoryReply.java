package io.xfernode.events;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a {@link HistoryRequest}.
 *
 * @param known  whether the node holds a history of the transfer at all (none yet, or dropped since it ended)
 * @param first  the oldest sequence number held, 0 if none: a subscriber that asked for less missed what lies between
 * @param last   the newest sequence number held, 0 if none
 * @param ended  whether the transfer's last event ({@code done}) is held
 * @param events the events held after the one asked for, oldest first
 */
public record HistoryReply(String id, boolean known, long first, long last, boolean ended, List<JsonObject> events) {

  static HistoryReply unknown(String id) {
    return new HistoryReply(id, false, 0, 0, false, List.of());
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", HistoryRequest.VERSION).put("id", id).put("known", known).put("first", first)
      .put("last", last).put("ended", ended).put("events", new JsonArray(new ArrayList<>(events)));
  }

  /** @throws XferException 400 for another version */
  public static HistoryReply fromJson(JsonObject json) {
    int v = json.getInteger("v", -1);
    if (v != HistoryRequest.VERSION) {
      throw XferException.badRequest("v", "history protocol version " + v + " is not spoken here (only "
        + HistoryRequest.VERSION + ")");
    }
    List<JsonObject> events = new ArrayList<>();
    JsonArray array = json.getJsonArray("events", new JsonArray());
    for (int i = 0; i < array.size(); i++) {
      events.add(array.getJsonObject(i));
    }
    return new HistoryReply(json.getString("id"), json.getBoolean("known", false), json.getLong("first", 0L),
      json.getLong("last", 0L), json.getBoolean("ended", false), events);
  }
}
