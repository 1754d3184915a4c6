package io.xfernode.events;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;

/**
 * Any node → the node that publishes a transfer's events: the events of transfer {@code id} after sequence
 * number {@code after} ({@code 0} for all it holds). Answered with a {@link HistoryReply}.
 */
public record HistoryRequest(String id, long after) {

  /** The version of this message and its reply; a node refuses any other. */
  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("id", id).put("after", after);
  }

  /** @throws XferException 400 for another version, a missing id or a negative {@code after} */
  public static HistoryRequest fromJson(JsonObject json) {
    int v = json.getInteger("v", -1);
    if (v != VERSION) {
      throw XferException.badRequest("v", "history protocol version " + v + " is not spoken here (only " + VERSION + ")");
    }
    String id = json.getString("id");
    if (id == null || id.isEmpty()) {
      throw XferException.badRequest("id", "is required");
    }
    long after = json.getLong("after", 0L);
    if (after < 0) {
      throw XferException.badRequest("after", "must be 0 or more");
    }
    return new HistoryRequest(id, after);
  }
}
