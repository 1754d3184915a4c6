package io.xfernode.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.node.config.NodeState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a node's id as it joins, when its config names none: the id its state directory keeps, else the
 * host name, else the host name with the first free suffix ({@code host-2}, {@code host-3}, ...). "Free" is
 * decided twice: by the lock files of the state directory, against nodes of this host that share it, and by
 * an atomic claim in the {@link NodeDirectory}, against the whole cluster. The id chosen is then kept in the
 * state directory, so that {@code file://<id>/...} specs keep working after a restart.
 */
public final class NodeIdentity {

  /** The highest suffix tried before giving up. */
  static final int MAX_SUFFIX = 999;

  private static final Logger log = LoggerFactory.getLogger(NodeIdentity.class);

  private final Vertx vertx;
  private final NodeDirectory directory;
  private final NodeState state;
  private final String base;
  private final JsonObject claim;

  private NodeIdentity(Vertx vertx, NodeDirectory directory, NodeState state, String base, String host) {
    this.vertx = vertx;
    this.directory = directory;
    this.state = state;
    this.base = base;
    this.claim = new JsonObject().put("host", host);
  }

  /**
   * @param base the id to start from: the configured one, or the host name when none is
   * @param host the address other nodes reach this one on, for the directory entry that claims the id
   * @return the node's id; a configured one as is (joining the directory refuses it if it is taken)
   */
  public static Future<String> choose(Vertx vertx, NodeDirectory directory, NodeState state, String base,
                                      String host) {
    return new NodeIdentity(vertx, directory, state, base, host).choose();
  }

  private Future<String> choose() {
    if (state.configured()) {
      return Future.succeededFuture(state.nodeId());
    }
    String kept = state.nodeId();
    if (kept == null) {
      return pick(1);
    }
    return directory.claim(kept, claim.copy().put("id", kept), state.owner()).compose(claimed -> {
      if (claimed) {
        log.debug("node id {}: kept in the state directory", kept);
        return Future.succeededFuture(kept);
      }
      log.warn("node id {}, kept in the state directory, is used by a live node of the cluster elsewhere: this "
        + "node takes another (set nodeId to choose it)", kept);
      return blocking(state::release).compose(v -> pick(1));
    });
  }

  private Future<String> pick(int n) {
    if (n > MAX_SUFFIX) {
      return Future.failedFuture(XferException.conflict("nodeId", "the ids " + base + " to " + base + "-"
        + MAX_SUFFIX + " are all taken; set nodeId"));
    }
    String candidate = n == 1 ? base : base + "-" + n;
    return vertx.executeBlocking(() -> state.tryHold(candidate)).compose(held -> {
      if (!held) {
        return pick(n + 1);
      }
      return directory.claim(candidate, claim.copy().put("id", candidate), state.owner())
        .recover(t -> blocking(state::release).compose(v -> Future.failedFuture(t)))
        .compose(claimed -> claimed
          ? blocking(() -> state.keep(candidate)).map(v -> {
            log.info("node id {}: new, kept in the state directory", candidate);
            return candidate;
          })
          : blocking(state::release).compose(v -> pick(n + 1)));
    });
  }

  private interface IoStep {
    void run() throws Exception;
  }

  private Future<Void> blocking(IoStep step) {
    return vertx.executeBlocking(() -> {
      step.run();
      return null;
    });
  }
}
