package io.xfernode.node.cluster;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.xfernode.engine.ClusterView;

import java.util.Set;
import java.util.stream.Collectors;

/** The engine's view of the cluster, read from the node directory. */
public final class DirectoryClusterView implements ClusterView {

  private final String localNode;
  private final NodeDirectory directory;

  public DirectoryClusterView(String localNode, NodeDirectory directory) {
    this.localNode = localNode;
    this.directory = directory;
  }

  @Override
  public String localNode() {
    return localNode;
  }

  @Override
  public Future<Set<String>> liveNodes() {
    return directory.list().map(nodes -> nodes.stream().map(n -> n.getString("id")).collect(Collectors.toSet()));
  }

  /** From the entries last seen, filtered by Hazelcast's own member list (no map read), when they suffice. */
  @Override
  public Future<Set<String>> liveNodes(java.util.Collection<String> needed) {
    Set<String> known = directory.lastSeenLive();
    return known.containsAll(needed) ? Future.succeededFuture(known) : liveNodes();
  }

  @Override
  public void onNodeLeft(Handler<String> handler) {
    directory.onNodeLeft(handler);
  }
}
