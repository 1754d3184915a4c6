package io.xfernode.node.control;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Access;
import io.xfernode.api.Addresses;
import io.xfernode.api.Caller;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.node.cluster.NodeDirectory;
import io.xfernode.node.cluster.PoolDirectory;
import io.xfernode.pool.PoolDef;
import io.xfernode.pool.Pools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Answers {@code xfer.pools} ({@code list}, {@code define}, {@code remove}), applies the cluster's pool
 * changes to this node's {@link Pools}, and tells other nodes this node's live connection counts.
 */
public final class PoolsApi extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PoolsApi.class);
  private static final long STATS_TIMEOUT_MS = 2000;

  private final String node;
  private final Pools pools;
  private final PoolDirectory directory;
  private final NodeDirectory nodes;
  private final Runnable changed;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  /** @param changed called after this node's set of pools changed */
  public PoolsApi(String node, Pools pools, PoolDirectory directory, NodeDirectory nodes, Runnable changed) {
    this.node = node;
    this.pools = pools;
    this.directory = directory;
    this.nodes = nodes;
    this.changed = changed;
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(PoolDirectory.CHANGES, msg -> apply(msg.body())));
    consumers.add(vertx.eventBus().consumer(PoolDirectory.statsAddress(node), msg -> pools.list().onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(new JsonObject().put("pools", ar.result()));
      } else {
        msg.fail(500, ar.cause().getMessage());
      }
    })));
    consumers.add(vertx.eventBus().localConsumer(Addresses.POOLS, msg -> Requests.handleAs(msg, this::handle)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
      // the consumer of changes is in place: what the map holds now is all this node may have missed
      .compose(v -> directory.all())
      .compose(all -> Future.join(all.stream().map(def -> pools.define(def).onFailure(t ->
        log.warn("pool {}: cannot apply its definition here: {}", def.name(), t.getMessage()))).toList())
        .otherwiseEmpty())
      .onSuccess(v -> changed.run());
  }

  private void apply(JsonObject change) {
    if ("define".equals(change.getString("op"))) {
      pools.define(PoolDef.fromJson("pool", change.getJsonObject("pool")))
        .onFailure(t -> log.warn("pool {}: cannot apply its definition here: {}",
          change.getJsonObject("pool").getString("name"), t.getMessage()))
        .onComplete(ar -> changed.run());
    } else if ("remove".equals(change.getString("op"))) {
      pools.remove(change.getString("name")).onComplete(ar -> changed.run());
    }
  }

  private Future<JsonObject> handle(JsonObject request, Caller caller) {
    String op = JsonFields.of("", request, JsonFields.keys("op", "pool", "name")).choice("op", null, "list",
      "define", "remove");
    if (op == null) {
      throw XferException.badRequest("op", "is required: list, define or remove");
    }
    if (!op.equals("list")) {
      caller.require(Access.ADMIN, "op", "pools " + op);
    }
    switch (op) {
      case "define": {
        if (!request.containsKey("pool") || !(request.getValue("pool") instanceof JsonObject)) {
          throw XferException.badRequest("pool", "is required: an object such as {\"name\": \"default\"}");
        }
        PoolDef def = PoolDef.fromJson("pool", request.getJsonObject("pool"));
        return pools.define(def).compose(v -> directory.define(def)).map(v -> new JsonObject().put("pool", def.toJson()));
      }
      case "remove": {
        String name = JsonFields.of("", request, JsonFields.keys("op", "name")).string("name");
        return directory.remove(name).compose(existed -> existed
          ? Future.succeededFuture(new JsonObject().put("removed", name))
          : Future.failedFuture(XferException.notFound("name", "no pool \"" + name + "\"")));
      }
      default:
        JsonFields.of("", request, JsonFields.keys("op"));
        return list();
    }
  }

  /** Every pool's definition, with each node's live connections to each peer. */
  private Future<JsonObject> list() {
    return directory.all().compose(defs -> nodes.list().compose(live -> {
      List<String> ids = live.stream().map(n -> n.getString("id")).sorted().toList();
      List<Future<JsonObject>> answers = ids.stream().map(id -> vertx.eventBus()
        .<JsonObject>request(PoolDirectory.statsAddress(id), new JsonObject(),
          new DeliveryOptions().setSendTimeout(STATS_TIMEOUT_MS)).map(m -> m.body())).toList();
      return Future.join(answers).transform(ar -> {
        JsonArray out = new JsonArray();
        JsonArray unreachable = new JsonArray();
        for (PoolDef def : defs) {
          JsonObject connections = new JsonObject();
          for (int i = 0; i < ids.size(); i++) {
            if (answers.get(i).failed()) {
              continue;
            }
            String id = ids.get(i);
            answers.get(i).result().getJsonArray("pools").stream().map(o -> (JsonObject) o)
              .filter(p -> p.getString("name").equals(def.name())).findFirst()
              .ifPresent(p -> connections.put(id, p.getJsonObject("peers")));
          }
          out.add(def.toJson().put("connections", connections));
        }
        for (int i = 0; i < ids.size(); i++) {
          if (answers.get(i).failed()) {
            unreachable.add(ids.get(i));
          }
        }
        return Future.succeededFuture(new JsonObject().put("pools", out).put("unreachable", unreachable));
      });
    }));
  }

  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }
}
