package io.xfernode.transfer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.plan.Plan;

import java.time.Instant;

/**
 * The status of one transfer (SPEC 2.3), kept by its controller and copied to the cluster-wide store:
 * {@code {"id", "state", "node", "bytes", "bytesOut", "total", "rateBps", "startedAt", "runningAt", "endedAt", "plan", "error"?,
 * "checksum"?, "checksums", "secondaryErrors"}}.
 */
final class TransferStatus {

  private final String id;
  private final String node;
  private final JsonObject plan;
  private final long startedAtMs = System.currentTimeMillis();
  private String submittedBy;
  private long filesDone = -1;
  private long filesTotal = -1;
  private State state = State.PENDING;
  private long bytes;
  private long bytesOut;
  private long total = -1;
  private long runningSinceMs;
  private long endedAtMs;
  private XferException error;
  private JsonObject checksum;
  private final JsonArray checksums = new JsonArray();
  private final JsonArray secondaryErrors = new JsonArray();
  private final JsonObject endpoints = new JsonObject();
  private final JsonObject results = new JsonObject();
  private final JsonObject infos = new JsonObject();

  TransferStatus(String id, String node, Plan plan) {
    this.id = id;
    this.node = node;
    this.plan = Redact.json(plan.toJson());
  }

  void submittedBy(String name) {
    submittedBy = name;
  }

  State state() {
    return state;
  }

  void state(State s) {
    state = s;
    if (s == State.RUNNING) {
      runningSinceMs = System.currentTimeMillis();
    }
    if (s.isFinal()) {
      endedAtMs = System.currentTimeMillis();
    }
  }

  long bytes() {
    return bytes;
  }

  /**
   * @param in  the source's bytes so far, which its total counts too
   * @param out what reached the element nearest the sink (filters may change the size)
   */
  void files(long done, long total) {
    filesDone = done;
    filesTotal = total;
  }

  long filesDone() {
    return filesDone;
  }

  long filesTotal() {
    return filesTotal;
  }

  void bytes(long in, long out) {
    bytes = in;
    bytesOut = out;
  }

  long bytesOut() {
    return bytesOut;
  }

  void total(long t) {
    total = t;
  }

  long total() {
    return total;
  }

  XferException error() {
    return error;
  }

  /** Records the first error; later ones become secondary. @return whether this one is the first */
  boolean error(XferException e) {
    if (error == null) {
      error = e;
      return true;
    }
    secondaryErrors.add(e.toJson());
    return false;
  }

  /** Records where an element listens for an external peer (a tcp source in listen mode, …). */
  void endpoints(String element, JsonObject published) {
    endpoints.put(element, published.copy());
  }

  JsonObject endpoints() {
    return endpoints.copy();
  }

  /** Keeps the latest INFO of each element (e.g. its connection: {@code tcp 10.0.0.9:51234 -> 10.0.0.5:7300}). */
  void info(String element, JsonObject info) {
    JsonObject current = infos.getJsonObject(element, new JsonObject());
    infos.put(element, current.mergeIn(info));
  }

  /** Records what an element reported when it was done (counts, checksums), under its name. */
  void result(String element, JsonObject result) {
    if (result != null && !result.isEmpty()) {
      results.put(element, result.copy());
    }
  }

  void checksum(JsonObject c) {
    checksum = c;
  }

  JsonObject checksum() {
    return checksum;
  }

  void addChecksum(String element, JsonObject c) {
    checksums.add(c.copy().put("element", element));
  }

  long durationMs() {
    long end = endedAtMs == 0 ? System.currentTimeMillis() : endedAtMs;
    return end - startedAtMs;
  }

  long rateBps() {
    if (runningSinceMs == 0) {
      return 0;
    }
    long end = endedAtMs == 0 ? System.currentTimeMillis() : endedAtMs;
    long ms = Math.max(1, end - runningSinceMs);
    return bytes * 1000 / ms;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject()
      .put("id", id)
      .put("state", state.name())
      .put("node", node)
      .put("bytes", bytes)
      .put("bytesOut", bytesOut)
      .put("total", total)
      .put("rateBps", rateBps())
      .put("startedAt", Instant.ofEpochMilli(startedAtMs).toString())
      .put("runningAt", runningSinceMs == 0 ? null : Instant.ofEpochMilli(runningSinceMs).toString())
      .put("endedAt", endedAtMs == 0 ? null : Instant.ofEpochMilli(endedAtMs).toString())
      .put("plan", plan);
    if (submittedBy != null) {
      json.put("submittedBy", submittedBy);
    }
    if (filesTotal >= 0) {
      json.put("filesDone", filesDone).put("filesTotal", filesTotal);
    }
    if (error != null) {
      json.put("error", error.toJson());
    }
    if (!endpoints.isEmpty()) {
      json.put("endpoints", endpoints.copy());
    }
    if (!results.isEmpty()) {
      json.put("results", results.copy());
    }
    if (!infos.isEmpty()) {
      json.put("info", infos.copy());
    }
    if (checksum != null) {
      json.put("checksum", checksum);
    }
    if (!checksums.isEmpty()) {
      json.put("checksums", checksums.copy());
    }
    if (!secondaryErrors.isEmpty()) {
      json.put("secondaryErrors", secondaryErrors.copy());
    }
    return json;
  }
}
