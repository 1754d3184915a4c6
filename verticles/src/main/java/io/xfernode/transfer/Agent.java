package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
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
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;
import io.xfernode.link.PullLink;
import io.xfernode.link.Ring;
import io.xfernode.link.TcpLink;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
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
 * The engine's presence on one node: on SETUP from a controller, it builds the links between the plan's
 * elements that run here, makes those elements and deploys one {@link ElementHost} verticle for each. It
 * also cancels local elements whose controller's node leaves the cluster.
 */
public final class Agent extends VerticleBase {

  /** This node's pools, or null on an engine without them. */
  private final Pools pools;

  private static final Logger log = LoggerFactory.getLogger(Agent.class);

  private final NodeEnv env;
  private final ElementRegistry registry;
  private final GlueTable glue;
  private final SocketRegistry sockets;
  private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();
  private MessageConsumer<JsonObject> consumer;

  private record Hosted(String controllerNode, List<ElementHost> hosts) {
  }

  public Agent(NodeEnv env, ElementRegistry registry, GlueTable glue, SocketRegistry sockets, Pools pools) {
    this.pools = pools;
    this.sockets = sockets;
    this.env = env;
    this.registry = registry;
    this.glue = glue;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.agent(env.nodeId()), this::onSetup);
    return consumer.completion();
  }

  private void onSetup(Message<JsonObject> msg) {
    try {
      if (!Msg.SETUP.equals(Msg.type(msg.body()))) {
        throw XferException.badRequest("type", "the agent only takes SETUP");
      }
      setup(msg.body()).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("node", env.nodeId()));
        } else {
          XferException e = XferException.from(ar.cause());
          msg.fail(e.code(), e.getMessage());
        }
      });
    } catch (RuntimeException e) {
      XferException x = ElementErrors.classify(e);
      msg.fail(x.code(), x.getMessage());
    }
  }

  private Future<Void> setup(JsonObject body) {
    String transferId = body.getString("transfer");
    String controller = body.getString("controller");
    Plan plan = Plan.fromJson(body.getJsonObject("plan"));
    List<Step> steps = plan.steps();
    Link[] links = links(steps, body.getString("token"));
    List<ElementHost> hosts = java.util.Collections.synchronizedList(new ArrayList<>());
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
      HostedContext ctx = new HostedContext(transferId, step.index(), step.name(), env, sockets, pools, in, out);
      ElementHost[] self = new ElementHost[1];
      self[0] = new ElementHost(ctx, element, controller, () -> gone(transferId, hosts, self[0]));
      hosts.add(self[0]);
    }
    hosted.put(transferId, new Hosted(body.getString("controllerNode"), hosts));
    List<Future<String>> deployed = new ArrayList<>();
    for (ElementHost host : List.copyOf(hosts)) {
      deployed.add(vertx.deployVerticle(host));
    }
    return Future.all(deployed).<Void>mapEmpty().onFailure(t -> log.error("transfer {}: cannot deploy its elements",
      transferId, t));
  }

  /** The link after each step; {@code null} where this node runs neither side. */
  private Link[] links(List<Step> steps, String token) {
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
        case PUSH -> new Ring(env.maxBufferedBytes());
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
      HexFormat.of().parseHex(token), up.node(), down.node());
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
  public void nodeLeft(String nodeId) {
    hosted.forEach((id, h) -> {
      if (nodeId.equals(h.controllerNode())) {
        log.warn("transfer {}: its controller's node {} left the cluster: cancelling its elements here", id, nodeId);
        h.hosts().forEach(ElementHost::controllerLost);
        hosted.remove(id);
      }
    });
  }

  private void gone(String transferId, List<ElementHost> hosts, ElementHost host) {
    hosts.remove(host);
    if (hosts.isEmpty()) {
      hosted.remove(transferId);
    }
  }

  /** @return the transfers with elements on this node */
  public int hostedTransfers() {
    return hosted.size();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
