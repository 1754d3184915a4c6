package io.xfernode.engine;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.NodeEnv;
import io.xfernode.events.EventHistory;
import io.xfernode.events.HistoryRequest;
import io.xfernode.glue.GlueTable;
import io.xfernode.plan.ChainElement;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Planner;
import io.xfernode.pool.Pools;
import io.xfernode.transfer.Agent;
import io.xfernode.transfer.ChainBuilder;
import io.xfernode.transfer.Controller;
import io.xfernode.transfer.State;
import io.xfernode.transfer.StatusStore;
import io.xfernode.transfer.StreamThreads;
import io.xfernode.transfer.TransferSpec;
import io.xfernode.transfer.msg.CancelRequest;
import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transfer.msg.StatusRequest;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.transport.SocketSignals;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The transfer engine of one node, behind the control API (SPEC 2.1): it plans, submits, reports and
 * cancels transfers. A submitted transfer gets a {@link Controller} on this node, on a context of its own;
 * its elements are set up by the {@link Agent} of every node the plan touches. Every report for the
 * transfers controlled here arrives at this node's one control address.
 */
public final class Engine {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Engine.class);

  /**
   * @param maxTransfers  transfers this node controls at once; more are refused with 429
   * @param finishedTtlMs how long a finished transfer's status stays in the cluster-wide store
   */
  /** @param pools this node's pools, or null: a transfer that asks for a pool hop is then refused */
  public record Config(NodeEnv env, ElementRegistry registry, GlueTable glue, ClusterView cluster, int maxTransfers,
                       long finishedTtlMs, Pools pools, boolean dataTls) {

    /** @param dataTls whether the node has {@code data.tls}: a direct (cleartext) hop is then refused */
    public Config(NodeEnv env, ElementRegistry registry, GlueTable glue, ClusterView cluster, int maxTransfers,
                  long finishedTtlMs, Pools pools) {
      this(env, registry, glue, cluster, maxTransfers, finishedTtlMs, pools, false);
    }

    public static final long DEFAULT_FINISHED_TTL_MS = 24L * 3600 * 1000;

    /** An engine without pools. */
    public Config(NodeEnv env, ElementRegistry registry, GlueTable glue, ClusterView cluster, int maxTransfers,
                  long finishedTtlMs) {
      this(env, registry, glue, cluster, maxTransfers, finishedTtlMs, null);
    }
  }

  static final int DEFAULT_LIST_LIMIT = 100;
  /** How long {@code xfer.status} waits for a controller's node before it answers with the store's word. */
  static final long STATUS_ASK_TIMEOUT_MS = 2_000;
  static final int MAX_LIST_LIMIT = 1000;

  private final Vertx vertx;
  private final Config config;
  private final Planner planner;
  private final StatusStore store;
  private final Agent agent;
  private final SocketRegistry sockets;
  private final Map<String, Controller> active = new ConcurrentHashMap<>();
  /** Transfers that ended here, until their final status is in the cluster-wide store. */
  private final Map<String, Controller> unstored = new ConcurrentHashMap<>();
  private final List<Handler<Integer>> activeListeners = new CopyOnWriteArrayList<>();
  private final List<Handler<JsonObject>> finishedListeners = new CopyOnWriteArrayList<>();
  /** Transfers admitted but not yet in {@link #active}: admission counts them, so it is atomic. */
  private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
  private final StreamThreads threads;
  private final io.xfernode.transfer.Adopter adopter;
  private final EventHistory history;
  private MessageConsumer<JsonObject> control;
  private MessageConsumer<JsonObject> historyConsumer;

  private Engine(Vertx vertx, Config config, StatusStore store, Agent agent, SocketRegistry sockets,
                 StreamThreads threads) {
    this.threads = threads;
    this.history = new EventHistory(vertx);
    this.adopter = new io.xfernode.transfer.Adopter(vertx, config.env().nodeId(), store, history);
    this.sockets = sockets;
    this.vertx = vertx;
    this.config = config;
    this.planner = new Planner(config.glue());
    this.store = store;
    this.agent = agent;
  }

  /** Opens the status store, deploys this node's agent and listens on its control address. */
  public static Future<Engine> start(Vertx vertx, Config config) {
    io.xfernode.api.Secrets.seed();
    SocketRegistry sockets = new SocketRegistry(vertx, config.env().nodeId());
    StreamThreads threads = new StreamThreads(Math.max(16, 4 * config.maxTransfers()));
    Agent agent = new Agent(config.env(), config.registry(), config.glue(), sockets, config.pools(), threads,
      config.dataTls());
    return sockets.start()
      .compose(v -> StatusStore.open(vertx, config.finishedTtlMs()))
      .compose(store -> vertx.deployVerticle(agent).map(id -> new Engine(vertx, config, store, agent, sockets, threads)))
      .compose(engine -> engine.listen().map(engine))
      .onSuccess(engine -> config.cluster().onNodeLeft(engine::nodeLeft));
  }

  private Future<Void> listen() {
    control = vertx.eventBus().consumer(Addresses.control(nodeId()), this::onControl);
    historyConsumer = vertx.eventBus().consumer(Addresses.history(nodeId()), this::onHistory);
    return Future.all(control.completion(), historyConsumer.completion()).mapEmpty();
  }

  /** A subscriber that missed events asks for them where they were published. */
  private void onHistory(Message<JsonObject> msg) {
    try {
      msg.reply(history.after(HistoryRequest.fromJson(msg.body())).toJson());
    } catch (XferException e) {
      msg.fail(e.code(), e.getMessage());
    }
  }

  /** A report or a cancel request for a transfer controlled here. */
  private void onControl(Message<JsonObject> msg) {
    ControlMessage m;
    try {
      m = ControlMessage.fromJson(msg.body());
    } catch (XferException e) {
      msg.fail(e.code(), e.getMessage());
      return;
    }
    if (m instanceof StatusRequest) {
      Future<JsonObject> known = held(m.transfer());
      (known != null ? known : store.get(m.transfer())).onComplete(ar -> {
        if (ar.succeeded() && ar.result() != null) {
          msg.reply(ar.result());
        } else {
          msg.fail(ErrorCode.NOT_FOUND, "no transfer \"" + m.transfer() + "\" on node " + nodeId());
        }
      });
      return;
    }
    Controller c = active.get(m.transfer());
    if (c != null) {
      c.handle(m, msg);
    } else if (m instanceof CancelRequest) {
      Controller ended = unstored.get(m.transfer());
      if (ended != null) {
        msg.reply(ended.status());
      } else {
        msg.fail(ErrorCode.NOT_FOUND, "transfer " + m.transfer() + " is not controlled by node " + nodeId());
      }
    }
  }

  /** This node's own word on a transfer it controls or has just ended; null when it has none. */
  private Future<JsonObject> held(String id) {
    Controller local = active.get(id);
    if (local == null) {
      local = unstored.get(id);
    }
    return local == null ? null : Future.succeededFuture(local.status().copy());
  }

  /** The stream threads of this node, for tests and metrics. */
  public StreamThreads streamThreads() {
    return threads;
  }

  /** The node's memory budget, {@code limits.maxBufferedBytes}, shared by every transfer's buffers here. */
  public io.xfernode.transfer.MemoryBudget memory() {
    return agent.memory();
  }

  public String nodeId() {
    return config.env().nodeId();
  }

  /** @return {@code source:file}, {@code filter:gzip}, … */
  public List<String> elementTypes() {
    return config.registry().all();
  }

  /** @return the transfers this node controls now */
  public int activeTransfers() {
    return active.size();
  }

  /** Called with the new count whenever a transfer starts or ends here. */
  public void onActiveChange(Handler<Integer> handler) {
    activeListeners.add(handler);
  }

  /**
   * Called with the final status of every transfer this node controlled, once it ended, after it left the
   * active ones (so a reader of {@link #runningBytes} and of what this tells never counts it twice).
   */
  public void onFinished(Handler<JsonObject> handler) {
    finishedListeners.add(handler);
  }

  /** @return the bytes the transfers this node controls now have moved, as their last status says */
  public long runningBytes() {
    long sum = 0;
    for (Controller c : active.values()) {
      sum += c.status().getLong("bytes", 0L);
    }
    return sum;
  }

  /** {@code xfer.plan}: the plan a spec would run with; nothing runs. */
  public Future<JsonObject> plan(JsonObject request) {
    return prepare(request).map(p -> new JsonObject().put("plan", p.plan().toJson()));
  }

  private record Prepared(TransferSpec spec, Plan plan) {
  }

  private Future<Prepared> prepare(JsonObject request) {
    TransferSpec spec;
    List<ChainElement> chain;
    try {
      spec = TransferSpec.parse(request, config.registry(), nodeId());
      chain = ChainBuilder.build(spec, config.registry());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return config.cluster().liveNodes(chain.stream().map(ChainElement::node).distinct().toList()).compose(live -> {
      for (ChainElement e : chain) {
        if (!live.contains(e.node())) {
          return Future.failedFuture(new XferException(ErrorCode.NOT_FOUND, e.name() + ".node: unknown node \""
            + e.node() + "\" (live: " + String.join(", ", new java.util.TreeSet<>(live)) + ")"));
        }
      }
      return poolHop(spec, chain).map(hop -> new Prepared(spec, planner.plan(chain, hop)));
    });
  }

  /**
   * How the chain crosses between nodes: over the pool {@code options.pool} names (the default), or over
   * direct connections when {@code options.hop} is {@code direct}; null when it never leaves a node.
   */
  private Future<Planner.PoolHop> poolHop(TransferSpec spec, List<ChainElement> chain) {
    boolean crosses = chain.stream().map(ChainElement::node).distinct().count() > 1;
    if (!crosses || "direct".equals(spec.options().hop())) {
      return Future.succeededFuture(null);
    }
    if (config.pools() == null) {
      return Future.failedFuture(XferException.badRequest("options.hop", "node " + nodeId()
        + " has no pools: cross nodes with options.hop \"direct\""));
    }
    String pool = spec.options().pool();
    if (!config.pools().has(pool)) {
      return config.pools().list().compose(pools -> {
        List<String> names = pools.stream().map(p -> ((JsonObject) p).getString("name")).sorted().toList();
        return Future.failedFuture(XferException.notFound("options.pool", "no pool \"" + pool + "\" (defined: "
          + (names.isEmpty() ? "none" : String.join(", ", names)) + ")"));
      });
    }
    return Future.succeededFuture(new Planner.PoolHop(pool, spec.options().streams(), spec.options().checksum(),
      spec.options().resume(), spec.options().rateLimit()));
  }

  /** {@code xfer.submit}: replies once every element is set up and the transfer runs. */
  public Future<JsonObject> submit(JsonObject request) {
    return submit(request, io.xfernode.api.Caller.CLUSTER);
  }

  /** {@code xfer.submit} on behalf of {@code caller}, whose token's name the status keeps as {@code submittedBy}. */
  public Future<JsonObject> submit(JsonObject request, io.xfernode.api.Caller caller) {
    return prepare(request).compose(p -> launch(p, caller.name()));
  }

  /** Runs a plan made elsewhere, as is: for tools and tests that need a chain the planner would not pick. */
  public Future<JsonObject> submitPlan(String id, Plan plan) {
    return launch(new Prepared(TransferSpec.forPlan(id), plan), null);
  }

  private Future<JsonObject> launch(Prepared p, String submittedBy) {
    if (!admit()) {
      return Future.failedFuture(new XferException(ErrorCode.AT_CAPACITY, "node " + nodeId() + " already runs "
        + config.maxTransfers() + " transfers (limits.maxTransfers); retry later"));
    }
    String id = p.spec().id();
    JsonObject pending = new JsonObject().put("id", id).put("state", State.PENDING.name()).put("node", nodeId());
    if (submittedBy != null) {
      pending.put("submittedBy", submittedBy);
    }
    java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean(true);
    Runnable unadmit = () -> {
      if (counted.getAndSet(false)) {
        admitted.decrementAndGet();
      }
    };
    return store.reserve(id, pending, p.spec().options().resume()).compose(free -> {
      if (!free) {
        return Future.failedFuture(XferException.conflict("id", "a transfer \"" + id + "\" already exists"));
      }
      Promise<JsonObject> submitted = Promise.promise();
      Controller controller = new Controller(vertx, ((VertxInternal) vertx).createEventLoopContext(), nodeId(),
        p.spec(), p.plan(), store, history, submitted, this::finished);
      controller.submittedBy(submittedBy);
      active.put(id, controller);
      unadmit.run();
      changed();
      controller.start();
      return submitted.future();
    }).onComplete(ar -> unadmit.run());
  }

  /** Takes a place for one more transfer, atomically; false when {@code limits.maxTransfers} are taken. */
  private boolean admit() {
    while (true) {
      int n = admitted.get();
      if (n + active.size() >= config.maxTransfers()) {
        return false;
      }
      if (admitted.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void finished(Controller controller) {
    unstored.put(controller.id(), controller);
    controller.finalStored().onComplete(ar -> unstored.remove(controller.id(), controller));
    active.remove(controller.id());
    changed();
    JsonObject status = controller.status();
    finishedListeners.forEach(h -> h.handle(status));
  }

  private void changed() {
    int n = active.size();
    activeListeners.forEach(h -> h.handle(n));
  }

  /** {@code xfer.status}. */
  public Future<JsonObject> status(JsonObject request) {
    String id;
    try {
      id = JsonFields.of("", request, JsonFields.keys("id")).string("id");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    Future<JsonObject> known = held(id);
    if (known != null) {
      return known;
    }
    return store.get(id).compose(s -> {
      if (s == null) {
        return Future.failedFuture(XferException.notFound("id", "no transfer \"" + id + "\""));
      }
      String controller = s.getString("node");
      if (State.valueOf(s.getString("state")).isFinal() || nodeId().equals(controller)) {
        return Future.succeededFuture(s);
      }
      // the store is behind a live controller (RUNNING is stored late, the final status just after the end
      // is told): its node knows; one that does not answer leaves the store's word
      return vertx.eventBus().<JsonObject>request(Addresses.control(controller), new StatusRequest(id).toJson(),
          new DeliveryOptions().setSendTimeout(STATUS_ASK_TIMEOUT_MS))
        .map(Message::body)
        .otherwise(s);
    });
  }

  /** {@code xfer.list}: the transfers of the whole cluster, newest first. */
  public Future<JsonObject> list(JsonObject request) {
    String state;
    int limit;
    try {
      JsonFields f = JsonFields.of("", request, JsonFields.keys("state", "limit"));
      String[] states = java.util.Arrays.stream(State.values()).map(Enum::name).toArray(String[]::new);
      state = f.choice("state", null, states);
      limit = f.integer("limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return store.all().map(all -> {
      // this node's controllers know their transfers' state before the cluster-wide map does
      Map<String, JsonObject> byId = new java.util.LinkedHashMap<>();
      all.forEach(st -> byId.put(st.getString("id"), st));
      unstored.forEach((id, c) -> byId.put(id, c.status()));
      active.forEach((id, c) -> byId.put(id, c.status()));
      return byId.values();
    }).map(all -> new JsonObject().put("transfers", new JsonArray(all.stream()
      .filter(s -> state == null || state.equals(s.getString("state")))
      .sorted(Comparator.comparing((JsonObject s) -> String.valueOf(s.getString("startedAt"))).reversed())
      .limit(limit)
      .collect(Collectors.toList()))));
  }

  /** {@code xfer.cancel}: replies with the status once every element has stopped and cleaned up. */
  public Future<JsonObject> cancel(JsonObject request) {
    return cancel(request, io.xfernode.api.Caller.CLUSTER);
  }

  /** {@code xfer.cancel} on behalf of {@code caller}: only the transfer's submitter or an admin may. */
  public Future<JsonObject> cancel(JsonObject request, io.xfernode.api.Caller caller) {
    String id;
    String reason;
    try {
      JsonFields f = JsonFields.of("", request, JsonFields.keys("id", "reason"));
      id = f.string("id");
      reason = f.string("reason", "cancelled by request");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return store.get(id).compose(s -> {
      if (s == null) {
        return Future.failedFuture(XferException.notFound("id", "no transfer \"" + id + "\""));
      }
      if (!caller.mayCancel(s.getString("submittedBy"))) {
        return Future.failedFuture(XferException.forbidden("id", "token " + caller.describe() + " (role "
          + caller.access().label() + ") may not cancel \"" + id + "\": only its submitter or an admin may"));
      }
      if (State.valueOf(s.getString("state")).isFinal()) {
        return Future.succeededFuture(s);
      }
      String controller = s.getString("node");
      return vertx.eventBus().<JsonObject>request(Addresses.control(controller),
          new CancelRequest(id, reason).toJson(), new DeliveryOptions().setSendTimeout(30_000))
        .map(m -> m.body())
        .recover(t -> store.get(id).compose(now -> {
          if (now != null && State.valueOf(now.getString("state")).isFinal()) {
            return Future.succeededFuture(now);
          }
          if (t instanceof ReplyException && (((ReplyException) t).failureType() == ReplyFailure.NO_HANDLERS
            || ((ReplyException) t).failureCode() == ErrorCode.NOT_FOUND)) {
            return Future.failedFuture(new XferException(ErrorCode.UNAVAILABLE, "the controller of \"" + id
              + "\" is unreachable (node " + controller + ")"));
          }
          return Future.failedFuture(t);
        }));
    });
  }

  /**
   * {@code xfer.listeners}: every listener of the cluster with its children, asked of each live node.
   * A node that does not answer within 2 s is listed under {@code unreachable}.
   */
  public Future<JsonObject> listeners(JsonObject request) {
    try {
      JsonFields.of("", request, JsonFields.keys());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return config.cluster().liveNodes().compose(nodes -> {
      List<String> sorted = nodes.stream().sorted().collect(Collectors.toList());
      List<Future<JsonObject>> answers = sorted.stream().map(n -> vertx.eventBus()
        .<JsonObject>request(SocketSignals.registryAddress(n), new JsonObject(), new DeliveryOptions().setSendTimeout(2000))
        .map(m -> m.body())).collect(Collectors.toList());
      return Future.join(answers).transform(ar -> {
        JsonArray listeners = new JsonArray();
        JsonArray unreachable = new JsonArray();
        for (int i = 0; i < answers.size(); i++) {
          if (answers.get(i).succeeded()) {
            answers.get(i).result().getJsonArray("listeners").forEach(listeners::add);
          } else {
            unreachable.add(sorted.get(i));
          }
        }
        return Future.succeededFuture(new JsonObject().put("listeners", listeners).put("unreachable", unreachable));
      });
    });
  }

  /** This node's listeners. */
  public SocketRegistry sockets() {
    return sockets;
  }

  /**
   * Fails every transfer that touches {@code node}, cancels the local elements it controlled, and takes part
   * in ending the transfers it controlled (SPEC 5: a survivor adopts them).
   */
  public void nodeLeft(String node) {
    active.values().forEach(c -> c.nodeLeft(node));
    adopter.nodeLeft(node, agent.nodeLeft(node));
  }

  /**
   * Cancels every transfer this node controls and every local element; completes when they have ended and
   * their final statuses are stored.
   */
  public Future<Void> stop() {
    List<Future<?>> ends = active.keySet().stream().map(id -> (Future<?>) vertx.eventBus()
      .request(Addresses.control(nodeId()), new CancelRequest(id, "node " + nodeId() + " is stopping").toJson())
      .otherwiseEmpty()).collect(Collectors.toList());
    return Future.join(ends)
      .transform(v -> Future.join(unstored.values().stream().map(c -> (Future<?>) c.finalStored()).toList()))
      .transform(v -> agent.cancelAll("node " + nodeId() + " is stopping"))
      .eventually(() -> control == null ? Future.succeededFuture() : control.unregister())
      .eventually(() -> historyConsumer == null ? Future.succeededFuture() : historyConsumer.unregister())
      .onComplete(v -> threads.shutdown())
      .mapEmpty();
  }

  /** The set of nodes the engine can reach now; exposed for the node's API. */
  public Future<Set<String>> liveNodes() {
    return config.cluster().liveNodes();
  }
}
