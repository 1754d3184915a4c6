package io.xfernode.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.xfernode.pool.NodeKeys;

import java.util.HexFormat;

/**
 * The keys nodes prove who they are with on the data port (SPEC 5): each node makes 256 random bits at
 * start and publishes them in a cluster-wide map that only cluster members can read (no bridge exposes
 * maps). A restarted node makes a new key.
 */
public final class ClusterKeys implements NodeKeys {

  /** The cluster-wide map of node id to key, hex. */
  public static final String MAP = "xfer.internal.keys";

  private final Vertx vertx;
  private final String node;
  private final byte[] own = new byte[32];
  private AsyncMap<String, String> map;

  public ClusterKeys(Vertx vertx, String node) {
    this.vertx = vertx;
    this.node = node;
    io.xfernode.api.Secrets.fill(own);
  }

  /** Publishes this node's key. */
  public Future<Void> publish() {
    return vertx.sharedData().<String, String>getClusterWideMap(MAP).compose(m -> {
      map = io.xfernode.engine.SafeAsyncMap.of(m);
      return m.put(node, HexFormat.of().formatHex(own));
    });
  }

  /** Withdraws this node's key, before it leaves the cluster. */
  public Future<Void> withdraw() {
    return map == null ? Future.succeededFuture() : map.remove(node).mapEmpty();
  }

  @Override
  public byte[] own() {
    return own.clone();
  }

  @Override
  public Future<byte[]> of(String peer) {
    if (map == null) {
      return Future.failedFuture("the keys are not published yet");
    }
    return map.get(peer).compose(hex -> hex == null ? Future.failedFuture("node " + peer + " has published no key")
      : Future.succeededFuture(HexFormat.of().parseHex(hex)));
  }
}
