package io.xfernode.transfer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.ElementType;
import io.xfernode.element.Mechanism;
import io.xfernode.element.NodeEnv;
import io.xfernode.glue.Glue;
import io.xfernode.glue.GlueTable;
import io.xfernode.link.ChannelLink;
import io.xfernode.link.Link;
import io.xfernode.link.PullLink;
import io.xfernode.link.Ring;
import io.xfernode.link.TcpLink;
import io.xfernode.plan.Step;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;
import io.xfernode.transfer.msg.Cancel;
import io.xfernode.transfer.msg.Commit;
import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transfer.msg.Setup;
import io.xfernode.transfer.msg.Start;
import io.xfernode.transport.SocketRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's presence on one node, at {@code xfer.internal.agent.<node>}: on SETUP it makes a
 * {@link Slice} of the transfer's local elements, with the links between them, on a context of its own;
 * START, CANCEL and COMMIT go to that slice. One consumer serves every transfer, so a transfer registers
 * nothing in the cluster.
 */
public final class Agent extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final NodeEnv env;
  private final ElementRegistry registry;
  private final GlueTable glue;
  private final SocketRegistry sockets;
  private final Pools pools;
  private final StreamThreads threads;
  private final boolean dataTls;
  private final MemoryBudget memory;
  private final Map<String, Slice> slices = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param pools   this node's pools, or null on an engine without them
   * @param dataTls whether this node has {@code data.tls}: every byte between nodes must then be TLS
   */
  public Agent(NodeEnv env, ElementRegistry registry, GlueTable glue, SocketRegistry sockets, Pools pools,
               StreamThreads threads, boolean dataTls) {
    this.dataTls = dataTls;
    this.env = env;
    this.registry = registry;
    this.glue = glue;
    this.sockets = sockets;
    this.pools = pools;
    this.threads = threads;
    this.memory = new MemoryBudget(env.maxBufferedBytes());
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.agent(env.nodeId()), this::onMessage);
    return consumer.completion();
  }

  private void onMessage(Message<JsonObject> msg) {
    ControlMessage m;
    try {
      m = ControlMessage.fromJson(msg.body());
    } catch (XferException e) {
      msg.fail(e.code(), e.getMessage());
      return;
    }
    if (m instanceof Setup setup) {
      onSetup(setup, msg);
    } else if (m instanceof Start start) {
      Slice slice = slices.get(start.transfer());
      if (slice != null) {
        slice.start(start);
      }
    } else if (m instanceof Cancel cancel) {
      Slice slice = slices.get(cancel.transfer());
      (slice == null ? Future.<Void>succeededFuture() : slice.cancel(cancel.reason()))
        .onComplete(ar -> msg.reply(new JsonObject()));
    } else if (m instanceof Commit commit) {
      Slice slice = slices.get(commit.transfer());
      if (slice == null) {
        msg.fail(ErrorCode.UNAVAILABLE, "transfer " + commit.transfer() + " has no elements left on node "
          + env.nodeId());
        return;
      }
      slice.commit(commit).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject());
        } else {
          XferException e = XferException.from(ar.cause());
          msg.fail(e.code(), e.element() == null ? e.getMessage() : e.element() + ": " + e.getMessage());
        }
      });
    } else {
      msg.fail(ErrorCode.BAD_REQUEST, "type: the agent does not take " + m.type());
    }
  }

  private void onSetup(Setup setup, Message<JsonObject> msg) {
    Slice slice;
    try {
      slice = slice(setup);
    } catch (RuntimeException e) {
      XferException x = ElementErrors.classify(e);
      msg.fail(x.code(), x.getMessage());
      return;
    }
    if (slices.putIfAbsent(setup.transfer(), slice) != null) {
      slice.cancel("a duplicate SETUP");
      msg.fail(ErrorCode.CONFLICT, "transfer " + setup.transfer() + " is set up on node " + env.nodeId() + " already");
      return;
    }
    slice.ended().onComplete(v -> slices.remove(setup.transfer(), slice));
    msg.reply(new JsonObject().put("node", env.nodeId()));
    slice.setup();
  }

  /** Makes the transfer's local elements, their links and their contexts; nothing is opened yet. */
  private Slice slice(Setup setup) {
    String transfer = setup.transfer();
    List<Step> steps = setup.plan().steps();
    if (setup.token() == null || !setup.token().matches("[0-9a-f]{32}")) {
      throw new XferException(ErrorCode.BAD_REQUEST, "token: SETUP carries no valid token");
    }
    checkHops(steps);
    int needed = 0;
    for (Step step : steps) {
      if (env.nodeId().equals(step.node())) {
        needed += step.cost().threads();
      }
    }
    MemoryBudget.Grant grant = memory.reserve(transfer, buffers(steps));
    StreamThreads.Reservation reservation;
    try {
      reservation = threads.reserve(transfer, needed);
    } catch (RuntimeException e) {
      grant.release();
      throw e;
    }
    Runnable releaseAll = () -> {
      reservation.release();
      grant.release();
    };
    try {
      Link[] links = links(steps, setup.token(), grant.each());
      Context context = ((VertxInternal) vertx).createEventLoopContext();
      java.util.function.Consumer<ControlMessage> reporter = m ->
        vertx.eventBus().send(Addresses.control(setup.controllerNode()), m.toJson());
      SliceShared shared = new SliceShared(transfer, env, sockets, pools, vertx, context, reservation, reporter,
        HexFormat.of().parseHex(setup.token()), new java.util.concurrent.atomic.AtomicReference<>(""),
        setup.resume(), grant.each());
      List<ElementRun> runs = new ArrayList<>();
      for (Step step : steps) {
        if (!env.nodeId().equals(step.node())) {
          continue;
        }
        Element element = create(step);
        Link in = step.index() == 0 ? null : links[step.index() - 1];
        Link out = step.index() == steps.size() - 1 ? null : links[step.index()];
        if (in == null && step.index() > 0 || out == null && step.index() < steps.size() - 1) {
          throw new XferException(ErrorCode.INTERNAL, step.name() + ": no link to a neighbour on another node");
        }
        runs.add(new ElementRun(new HostedContext(shared, step.index(), step.name(), in, out), element));
      }
      return new Slice(vertx, context, setup, env.nodeId(), runs, releaseAll, reporter);
    } catch (RuntimeException e) {
      releaseAll.run();
      throw e;
    }
  }

  /**
   * The buffers the transfer holds on this node: a ring for each PUSH link between two of its elements
   * here, and those of its glues here.
   */
  private int buffers(List<Step> steps) {
    int n = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (!env.nodeId().equals(step.node())) {
        continue;
      }
      if (step.isGlue()) {
        Glue g = glue.find(step.in(), step.out());
        n += g == null ? 0 : g.buffers();
      }
      if (i + 1 < steps.size() && step.out() == Mechanism.PUSH && env.nodeId().equals(steps.get(i + 1).node())) {
        n++;
      }
    }
    return n;
  }

  /** The node's memory budget, shared by every transfer's buffers here. */
  public MemoryBudget memory() {
    return memory;
  }

  /**
   * With {@code data.tls}, every byte between nodes is TLS: a direct hop, which is cleartext TCP, is refused
   * on either of its nodes, and never falls back to cleartext.
   */
  private void checkHops(List<Step> steps) {
    if (!dataTls) {
      return;
    }
    for (int i = 0; i + 1 < steps.size(); i++) {
      Step up = steps.get(i);
      Step down = steps.get(i + 1);
      boolean crosses = !up.node().equals(down.node());
      boolean mine = env.nodeId().equals(up.node()) || env.nodeId().equals(down.node());
      if (crosses && mine && (up.out() == Mechanism.TCP_LISTEN || up.out() == Mechanism.TCP_CONNECT)) {
        throw XferException.forbidden("options.hop", "node " + env.nodeId() + " has data.tls: a direct hop would "
          + "carry the bytes in cleartext; leave options.hop out to cross over a pool, which is TLS");
      }
    }
  }

  /** The link after each step; {@code null} where this node runs neither side. */
  private Link[] links(List<Step> steps, String token, long ringBytes) {
    Link[] links = new Link[Math.max(0, steps.size() - 1)];
    for (int i = 0; i + 1 < steps.size(); i++) {
      Step up = steps.get(i);
      Step down = steps.get(i + 1);
      boolean upHere = env.nodeId().equals(up.node());
      boolean downHere = env.nodeId().equals(down.node());
      if (!upHere && !downHere) {
        continue;
      }
      Mechanism m = up.out();
      if (!(upHere && downHere) && !m.crossesNodes()) {
        throw new XferException(ErrorCode.INTERNAL, up.name() + " → " + down.name() + ": " + m
          + " cannot cross from node " + up.node() + " to " + down.node());
      }
      links[i] = switch (m) {
        case PUSH -> new Ring(ringBytes);
        case PULL -> new PullLink();
        case CHANNEL -> new ChannelLink();
        case TCP_LISTEN, TCP_CONNECT -> new TcpLink(m);
        case POOL -> poolLink(up, down, token);
      };
    }
    return links;
  }

  /** The POOL hop after {@code up}: its glue step names the pool and the streams, SETUP the token. */
  private static PoolLink poolLink(Step up, Step down, String token) {
    if (token == null || !token.matches("[0-9a-f]{32}")) {
      throw new XferException(ErrorCode.INTERNAL, up.name() + ": SETUP carries no pool token");
    }
    return new PoolLink(up.options().getString("pool"), up.options().getInteger("streams", 1),
      HexFormat.of().parseHex(token), up.node(), down.node(), up.options().getString("checksum"),
      up.options().getBoolean("resume", false), up.options().getLong("rate", 0L));
  }

  private Element create(Step step) {
    if (step.isGlue()) {
      Glue g = glue.find(step.in(), step.out());
      if (g == null) {
        throw new XferException(ErrorCode.INTERNAL, step.name() + ": this node has no glue " + step.in() + "→" + step.out());
      }
      return g.create();
    }
    ElementType<?> type = registry.get(step.role(), step.type(), step.name() + ".type");
    return create(type, step);
  }

  private static <O> Element create(ElementType<O> type, Step step) {
    Set<String> keys = new HashSet<>(type.optionKeys());
    keys.add("type");
    keys.add("node");
    O options = type.parse(JsonFields.of(step.name(), step.options(), keys));
    return type.create(options);
  }

  /** Cancels the local elements of every transfer controlled from {@code nodeId}, which left the cluster. */
  public List<Setup> nodeLeft(String nodeId) {
    List<Setup> orphans = new ArrayList<>();
    slices.values().forEach(slice -> {
      if (nodeId.equals(slice.setupMessage().controllerNode())) {
        log.warn("transfer {}: its controller's node {} left the cluster: cancelling its elements here",
          slice.transfer(), nodeId);
        orphans.add(slice.setupMessage());
        slice.cancel("node " + nodeId + ", the transfer's controller, left the cluster");
      }
    });
    return orphans;
  }

  /** @return the transfers with elements on this node */
  public int hostedTransfers() {
    return slices.size();
  }

  /** Cancels every slice; completes when each has released everything. */
  public Future<Void> cancelAll(String reason) {
    return Future.join(slices.values().stream().map(s -> s.cancel(reason)).toList()).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return cancelAll("node " + env.nodeId() + " is stopping")
      .eventually(() -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }
}
