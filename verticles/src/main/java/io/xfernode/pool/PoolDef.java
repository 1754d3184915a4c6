package io.xfernode.pool;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.time.Duration;
import java.util.Set;

/**
 * A named pool of data connections (SPEC 1.5), as defined in config or through {@code xfer.pools}.
 *
 * @param minPerPeer  connections kept open to each peer once the pool has been used with it
 * @param maxPerPeer  the most connections to one peer
 * @param idleTimeout how long a connection without channels stays open above {@code minPerPeer}
 * @param window      the bytes in flight per transfer, shared by its streams: the receiver's memory bound
 * @param tls         whether the pool's connections use the node's {@code data.tls}
 */
public record PoolDef(String name, int minPerPeer, int maxPerPeer, Duration idleTimeout, int window, boolean tls) {

  /** The pool every hop between nodes uses unless a transfer names another; it exists on every node. */
  public static final String DEFAULT_NAME = "default";
  public static final int DEFAULT_WINDOW = 8 << 20;
  static final Set<String> KEYS = JsonFields.keys("name", "minPerPeer", "maxPerPeer", "idleTimeout", "window", "tls");

  /** @throws XferException 400 naming the field under {@code path} */
  public static PoolDef fromJson(String path, JsonObject json) {
    JsonFields f = JsonFields.of(path, json, KEYS);
    String name = f.string("name");
    if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw XferException.badRequest(f.field("name"), "must be 1 to 64 letters, digits, '.', '_' or '-', "
        + "starting with a letter or digit, got " + JsonFields.describe(name));
    }
    int min = f.integer("minPerPeer", 1, 0, 64);
    int max = f.integer("maxPerPeer", 4, 1, 64);
    if (max < min) {
      throw XferException.badRequest(f.field("maxPerPeer"), "must be at least minPerPeer (" + min + "), got " + max);
    }
    Duration idle = f.duration("idleTimeout", Duration.ofSeconds(60));
    if (idle.isZero()) {
      throw XferException.badRequest(f.field("idleTimeout"), "must be positive");
    }
    return new PoolDef(name, min, max, idle, f.integer("window", DEFAULT_WINDOW, 64 * 1024, 1 << 30),
      f.bool("tls", false));
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("minPerPeer", minPerPeer).put("maxPerPeer", maxPerPeer)
      .put("idleTimeout", idleTimeout.toString()).put("window", window).put("tls", tls);
  }
}
