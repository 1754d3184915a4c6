package io.xfernode.element;

import io.vertx.core.json.JsonObject;

/**
 * What moving bytes through an element costs: copies of each byte, and threads it occupies for the
 * whole transfer. Costs add up along a chain; fewer copies win, then fewer threads.
 */
public record Cost(int copies, int threads) implements Comparable<Cost> {

  public static final Cost FREE = new Cost(0, 0);

  public static Cost of(int copies, int threads) {
    return new Cost(copies, threads);
  }

  public Cost plus(Cost other) {
    return new Cost(copies + other.copies, threads + other.threads);
  }

  @Override
  public int compareTo(Cost o) {
    return copies != o.copies ? Integer.compare(copies, o.copies) : Integer.compare(threads, o.threads);
  }

  public JsonObject toJson() {
    return new JsonObject().put("copies", copies).put("threads", threads);
  }

  @Override
  public String toString() {
    return copies + (copies == 1 ? " copy" : " copies") + "/byte, " + threads + (threads == 1 ? " thread" : " threads");
  }
}
