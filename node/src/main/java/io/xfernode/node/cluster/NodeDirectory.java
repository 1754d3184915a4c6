package io.xfernode.node.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.xfernode.api.XferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster-wide directory of xfernode nodes: a Hazelcast-backed map from node id to the node's
 * description. A node adds itself at start and removes itself when it stops; when a member crashes, every
 * survivor hears it from Hazelcast's membership events and removes its entry. Reads also drop entries
 * whose member is gone, so a lost event can never show a dead node.
 */
public final class NodeDirectory {

  /** The name of the cluster-wide map. */
  public static final String MAP = "xfer.nodes";
  /** The field of an entry that holds the Vert.x cluster node id (the Hazelcast member UUID). */
  public static final String MEMBER = "member";
  /** The field of an entry that tells who keeps its id between restarts: host name and state directory. */
  static final String OWNER = "owner";

  /** The member attribute in which vertx-hazelcast keeps the Vert.x node id (not the member's UUID). */
  static final String VERTX_NODE_ID = "__vertx.nodeId";

  /** How long a read of the map may take before the last entries seen answer instead. */
  static final long READ_TIMEOUT_MS = 2000;

  private static final Logger log = LoggerFactory.getLogger(NodeDirectory.class);

  private final Vertx vertx;
  private final Context context;
  private final HazelcastClusterManager clusterManager;
  private final List<Handler<String>> leftHandlers = new CopyOnWriteArrayList<>();
  /**
   * The entries last read or written. While Hazelcast re-balances after a crash, map operations can stall
   * for seconds; the directory then answers from here, filtered by the members still alive.
   */
  private final Map<String, JsonObject> lastSeen = new ConcurrentHashMap<>();
  /** The {@value #OWNER} of the ids this node claimed, which its later writes keep. */
  private final Map<String, String> owners = new ConcurrentHashMap<>();
  private AsyncMap<String, JsonObject> map;
  private UUID membershipRegistration;

  public NodeDirectory(Vertx vertx, HazelcastClusterManager clusterManager) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.clusterManager = clusterManager;
  }

  /**
   * Opens the map, starts listening for departed members and adds this node.
   *
   * @return a failure with 409 if a live node already uses {@code nodeId}
   */
  public Future<Void> join(String nodeId, JsonObject info) {
    return claim(nodeId, info, owners.get(nodeId)).compose(claimed -> claimed ? Future.succeededFuture()
      : Future.failedFuture(XferException.conflict("nodeId", "\"" + nodeId + "\" is already used by a live node at "
        + lastSeen.getOrDefault(nodeId, new JsonObject()).getString("host"))));
  }

  /**
   * Puts {@code info} under {@code nodeId} unless a live node of another member has it, atomically: of two
   * nodes that claim one id at once, one gets it. An entry whose member is gone is taken over, and so is one
   * whose {@value #OWNER} is {@code owner}: the caller proves, by the lock it holds on the id in its state
   * directory, that the process which wrote it is gone, though the cluster may not have noticed yet.
   *
   * @param owner who keeps the id between restarts (host and state directory), or null
   * @return whether this node has the id now
   */
  public Future<Boolean> claim(String nodeId, JsonObject info, String owner) {
    JsonObject entry = info.copy().put(MEMBER, clusterManager.getNodeId());
    if (owner != null) {
      entry.put(OWNER, owner);
      owners.put(nodeId, owner);
    }
    return open().compose(v -> map.putIfAbsent(nodeId, entry)).compose(existing -> {
      if (existing == null) {
        return Future.succeededFuture(true);
      }
      String member = existing.getString(MEMBER);
      boolean ours = clusterManager.getNodeId().equals(member)
        || owner != null && owner.equals(existing.getString(OWNER));
      if (isLive(member) && !ours) {
        lastSeen.put(nodeId, existing);
        return Future.succeededFuture(false);
      }
      return map.replaceIfPresent(nodeId, existing, entry);
    }).map(claimed -> {
      if (claimed) {
        lastSeen.put(nodeId, entry);
      }
      return claimed;
    });
  }

  /** Opens the map and starts listening for departed members, once. */
  private Future<Void> open() {
    if (map != null) {
      return Future.succeededFuture();
    }
    return vertx.sharedData().<String, JsonObject>getClusterWideMap(MAP).map(m -> {
      if (map != null) {
        return null;
      }
      this.map = io.xfernode.engine.SafeAsyncMap.of(m);
      membershipRegistration = clusterManager.getHazelcastInstance().getCluster()
        .addMembershipListener(new MembershipListener() {
          @Override
          public void memberAdded(MembershipEvent event) {
          }

          @Override
          public void memberRemoved(MembershipEvent event) {
            String member = event.getMember().getAttribute(VERTX_NODE_ID);
            if (member == null) {
              member = event.getMember().getUuid().toString();
            }
            String departed = member;
            context.runOnContext(v -> memberLeft(departed));
          }
        });
      return null;
    });
  }

  /** Replaces this node's description (for example its transfer count). */
  public Future<Void> update(String nodeId, JsonObject info) {
    JsonObject entry = info.copy().put(MEMBER, clusterManager.getNodeId());
    String owner = owners.get(nodeId);
    if (owner != null) {
      entry.put(OWNER, owner);
    }
    lastSeen.put(nodeId, entry);
    return map.put(nodeId, entry);
  }

  /** Removes this node, before it leaves the cluster. */
  public Future<Void> leave(String nodeId) {
    if (membershipRegistration != null) {
      clusterManager.getHazelcastInstance().getCluster().removeMembershipListener(membershipRegistration);
      membershipRegistration = null;
    }
    if (map == null) {
      return Future.succeededFuture();
    }
    return map.remove(nodeId).mapEmpty();
  }

  /** @return the live nodes, sorted by id; the {@value #MEMBER} and {@value #OWNER} fields are left out */
  public Future<List<JsonObject>> list() {
    Promise<List<JsonObject>> result = Promise.promise();
    long timer = vertx.setTimer(READ_TIMEOUT_MS, t -> {
      if (result.tryComplete(live(lastSeen))) {
        log.debug("the node map is slow to answer: listing the nodes last seen");
      }
    });
    map.entries().onComplete(ar -> {
      vertx.cancelTimer(timer);
      if (ar.succeeded()) {
        lastSeen.keySet().retainAll(ar.result().keySet());
        lastSeen.putAll(ar.result());
        result.tryComplete(live(ar.result()));
      } else {
        log.debug("cannot read the node map ({}): listing the nodes last seen", ar.cause().getMessage());
        result.tryComplete(live(lastSeen));
      }
    });
    return result.future();
  }

  private List<JsonObject> live(Map<String, JsonObject> entries) {
    List<JsonObject> nodes = new ArrayList<>();
    Set<String> live = new HashSet<>(clusterManager.getNodes());
    for (JsonObject node : entries.values()) {
      if (live.contains(node.getString(MEMBER))) {
        JsonObject copy = node.copy();
        copy.remove(MEMBER);
        copy.remove(OWNER);
        nodes.add(copy);
      }
    }
    nodes.sort(Comparator.comparing(n -> n.getString("id")));
    return nodes;
  }

  /**
   * The ids of the nodes last read or written whose members Hazelcast still lists: no map read. A node that
   * joined since the last read is missing; a node that left is not there.
   */
  public Set<String> lastSeenLive() {
    Set<String> ids = new HashSet<>();
    live(lastSeen).forEach(n -> ids.add(n.getString("id")));
    return ids;
  }

  /** @return the live node with {@code nodeId}, or {@code null} */
  public Future<JsonObject> get(String nodeId) {
    return map.get(nodeId).map(node -> node != null && isLive(node.getString(MEMBER)) ? node : null);
  }

  /** Called, on this directory's context, with the xfernode id of every node that leaves the cluster. */
  public void onNodeLeft(Handler<String> handler) {
    leftHandlers.add(handler);
  }

  private boolean isLive(String member) {
    return member != null && clusterManager.getNodes().contains(member);
  }

  private void memberLeft(String member) {
    // first what is known here, so that transfers hear of it at once; then the map, for entries not seen yet
    List<String> announced = new ArrayList<>();
    forget(member, Map.copyOf(lastSeen), announced);
    map.entries().onSuccess(entries -> forget(member, entries, announced))
      .onFailure(t -> log.warn("could not clean up after member {} left: {}", member, t.getMessage()));
  }

  private void forget(String member, Map<String, JsonObject> entries, List<String> announced) {
    for (Map.Entry<String, JsonObject> e : entries.entrySet()) {
      String nodeId = e.getKey();
      if (member.equals(e.getValue().getString(MEMBER)) && !announced.contains(nodeId)) {
        announced.add(nodeId);
        log.info("node {} left the cluster", nodeId);
        lastSeen.remove(nodeId, e.getValue());
        map.removeIfPresent(nodeId, e.getValue());
        leftHandlers.forEach(h -> h.handle(nodeId));
      }
    }
  }
}
