package io.xfernode.engine;

import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.Set;

/** What the engine needs to know about the cluster: which nodes are alive, and when one leaves. */
public interface ClusterView {

  String localNode();

  /** @return the ids of the live nodes, this one included */
  Future<Set<String>> liveNodes();

  /**
   * @return the ids of the live nodes, at least as far as {@code needed} goes: a view may answer from what
   *         it knows locally when that shows every node of {@code needed} alive, and asks the cluster otherwise
   */
  default Future<Set<String>> liveNodes(java.util.Collection<String> needed) {
    return liveNodes();
  }

  /** Registers a handler called with the id of every node that leaves the cluster. */
  void onNodeLeft(Handler<String> handler);

  /** A cluster of one node, for an engine without clustering (tests, embedding). */
  static ClusterView single(String nodeId) {
    return new ClusterView() {
      @Override
      public String localNode() {
        return nodeId;
      }

      @Override
      public Future<Set<String>> liveNodes() {
        return Future.succeededFuture(Set.of(nodeId));
      }

      @Override
      public void onNodeLeft(Handler<String> handler) {
      }
    };
  }
}
