package io.xfernode.events;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** The {@code done} event a final status (2.3) stands for, once the events themselves are no longer held. */
final class FinalStatus {

  private FinalStatus() {
  }

  static JsonObject done(JsonObject status, long seq) {
    JsonObject done = new JsonObject().put("id", status.getString("id")).put("seq", seq).put("type", "done")
      .put("at", status.getString("endedAt", Instant.now().toString())).put("state", status.getString("state"))
      .put("bytes", status.getLong("bytes", 0L)).put("bytesOut", status.getLong("bytesOut", 0L))
      .put("durationMs", durationMs(status));
    if (status.getJsonObject("checksum") != null) {
      done.put("checksum", status.getJsonObject("checksum"));
    }
    if (status.getJsonObject("error") != null) {
      done.put("error", status.getJsonObject("error"));
    }
    return done;
  }

  private static long durationMs(JsonObject status) {
    String started = status.getString("startedAt");
    String endedAt = status.getString("endedAt");
    if (started == null || endedAt == null) {
      return 0;
    }
    return Math.max(0, Instant.parse(endedAt).toEpochMilli() - Instant.parse(started).toEpochMilli());
  }
}
