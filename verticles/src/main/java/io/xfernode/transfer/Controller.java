package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The parent of one transfer: it sets the plan's elements up on their nodes, starts them once every one is
 * READY, follows their reports, verifies checksums, and ends the transfer exactly once: COMMIT to every
 * element when all are DONE, CANCEL to every element on the first error, a cancel request, the deadline,
 * or the loss of a node. The final state is recorded only after the elements have answered, so a
 * CANCELLED transfer has already removed its partial output.
 */
public final class Controller extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  static final long SETUP_TIMEOUT_MS = 30_000;
  static final long END_TIMEOUT_MS = 10_000;
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private final TransferSpec spec;
  private final Plan plan;
  private final StatusStore.Writer writer;
  private final Promise<JsonObject> submitted;
  private final Consumer<Controller> onFinished;
  private final TransferStatus status;
  private final List<Step> steps;
  private final boolean[] ready;
  private final boolean[] done;
  private final JsonObject[] listenIn;
  private final JsonObject[] listenOut;
  private final JsonObject[] results;
  private final long[] progress;
  private Events events;
  private MessageConsumer<JsonObject> consumer;
  private int readyCount;
  private int doneCount;
  private boolean ending;
  private State target;
  private final List<Message<JsonObject>> cancelRequests = new ArrayList<>();
  /** Nodes that left: their elements are gone with them, and nobody waits for their answer. */
  private final java.util.Set<String> lostNodes = new java.util.HashSet<>();
  /** The agents' answers to SETUP: once they are in, every element host exists and hears CANCEL. */
  private final List<Future<?>> setupAcks = new ArrayList<>();
  private long setupTimer = -1;
  private long deadline = -1;
  private long lastStored;

  /**
   * @param submitted completed with the submit's reply once the transfer runs, or failed if it never does
   */
  public Controller(TransferSpec spec, Plan plan, String node, StatusStore store, Promise<JsonObject> submitted,
                    Consumer<Controller> onFinished) {
    this.spec = spec;
    this.plan = plan;
    this.writer = store.writer(spec.id());
    this.submitted = submitted;
    this.onFinished = onFinished;
    this.status = new TransferStatus(spec.id(), node, plan);
    this.steps = plan.steps();
    int n = steps.size();
    this.ready = new boolean[n];
    this.done = new boolean[n];
    this.listenIn = new JsonObject[n];
    this.listenOut = new JsonObject[n];
    this.results = new JsonObject[n];
    this.progress = new long[n];
  }

  public String id() {
    return spec.id();
  }

  public Plan plan() {
    return plan;
  }

  /** The status as it stands, for a node that wants it without asking the store. */
  public JsonObject status() {
    return status.toJson();
  }

  @Override
  public Future<?> start() {
    events = new Events(vertx.eventBus(), spec.id());
    consumer = vertx.eventBus().consumer(Addresses.controller(spec.id()), this::onMessage);
    return consumer.completion().onSuccess(v -> setup());
  }

  private void setup() {
    transition(State.SETUP);
    if (spec.options().timeout() != null) {
      deadline = vertx.setTimer(Math.max(1, spec.options().timeout().toMillis()), t ->
        fail(new XferException(ErrorCode.TIMEOUT, "options.timeout: the transfer did not finish within "
          + spec.options().timeout())));
    }
    setupTimer = vertx.setTimer(SETUP_TIMEOUT_MS, t -> fail(new XferException(ErrorCode.TIMEOUT,
      "the elements were not all ready within " + SETUP_TIMEOUT_MS / 1000 + " s")));
    // the pool hop's token goes to the agents only: it is in no plan, status or event
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    JsonObject setup = Msg.of(Msg.SETUP).put("transfer", spec.id()).put("controller", Addresses.controller(spec.id()))
      .put("controllerNode", status.toJson().getString("node")).put("plan", plan.toJson())
      .put("token", java.util.HexFormat.of().formatHex(token));
    for (String node : plan.nodes()) {
      setupAcks.add(vertx.eventBus().request(Addresses.agent(node), setup, new DeliveryOptions().setSendTimeout(SETUP_TIMEOUT_MS))
        .onFailure(t -> fail(unreachable(node, t))));
    }
  }

  private static XferException unreachable(String node, Throwable t) {
    if (t instanceof ReplyException && ((ReplyException) t).failureType() == ReplyFailure.NO_HANDLERS) {
      return new XferException(ErrorCode.UNAVAILABLE, "node " + node + " is unavailable");
    }
    return XferException.from(t);
  }

  private void onMessage(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    String type;
    try {
      type = Msg.type(body);
    } catch (XferException e) {
      msg.fail(e.code(), e.getMessage());
      return;
    }
    if (Msg.CANCEL_REQUEST.equals(type)) {
      cancelRequests.add(msg);
      cancel(body.getString("reason", "cancelled by request"));
      return;
    }
    int index = body.getInteger("index", -1);
    if (index < 0 || index >= steps.size()) {
      return;
    }
    switch (type) {
      case Msg.READY -> onReady(index, body);
      case Msg.PROGRESS -> onProgress(index, body.getLong("bytes", 0L));
      case Msg.INFO -> {
        JsonObject info = body.getJsonObject("info", new JsonObject());
        status.info(steps.get(index).name(), info);
        events.info(steps.get(index).name(), info);
      }
      case Msg.DONE -> onDone(index, body);
      case Msg.ERROR -> fail(XferException.fromJson(body.getJsonObject("error", new JsonObject()))
        .withElement(steps.get(index).name()));
      default -> log.debug("transfer {}: ignoring {} from {}", spec.id(), type, steps.get(index).name());
    }
  }

  private void onReady(int index, JsonObject body) {
    if (ready[index] || ending) {
      return;
    }
    ready[index] = true;
    readyCount++;
    listenIn[index] = body.getJsonObject("listenIn");
    listenOut[index] = body.getJsonObject("listenOut");
    if (body.getJsonObject("endpoints") != null) {
      status.endpoints(steps.get(index).name(), body.getJsonObject("endpoints"));
    }
    if (body.containsKey("total") && steps.get(index).index() == 0) {
      status.total(body.getLong("total"));
    }
    if (readyCount == steps.size()) {
      vertx.cancelTimer(setupTimer);
      run();
    }
  }

  private void run() {
    transition(State.RUNNING);
    for (int i = 0; i < steps.size(); i++) {
      JsonObject start = Msg.of(Msg.START);
      // TCP_LISTEN: the downstream listens for its input; TCP_CONNECT: the upstream listens for its output
      if (i > 0 && listenOut[i - 1] != null) {
        start.put("inPeer", listenOut[i - 1]);
      }
      if (i + 1 < steps.size() && listenIn[i + 1] != null) {
        start.put("outPeer", listenIn[i + 1]);
      }
      String node = steps.get(i).node();
      vertx.eventBus().request(Addresses.element(spec.id(), i), start)
        .onFailure(t -> fail(unreachable(node, t)));
    }
    JsonObject reply = new JsonObject().put("id", spec.id()).put("state", State.RUNNING.name())
      .put("plan", status.toJson().getJsonObject("plan"));
    if (!status.endpoints().isEmpty()) {
      reply.put("endpoints", status.endpoints());
    }
    submitted.tryComplete(reply);
  }

  private void onProgress(int index, long bytes) {
    progress[index] = bytes;
    // the transfer's bytes are those of the element nearest the sink that reports
    for (int i = steps.size() - 1; i >= 0; i--) {
      if (progress[i] > 0) {
        status.bytes(progress[i]);
        break;
      }
    }
    if (events.progress(status.bytes(), status.total(), status.rateBps(), false)) {
      storeThrottled();
    }
  }

  private void onDone(int index, JsonObject body) {
    if (done[index] || ending) {
      return;
    }
    done[index] = true;
    doneCount++;
    results[index] = body.getJsonObject("result", new JsonObject());
    onProgress(index, body.getLong("bytes", 0L));
    if (doneCount == steps.size()) {
      finish();
    }
  }

  /** Every element is done: verify, then commit everywhere. */
  private void finish() {
    XferException mismatch = verifyChecksums();
    if (mismatch != null) {
      fail(mismatch);
      return;
    }
    ending = true;
    target = State.DONE;
    broadcast(Msg.of(Msg.COMMIT)).onComplete(ar -> {
      if (ar.failed()) {
        status.error(XferException.from(ar.cause()));
        target = State.FAILED;
      }
      finalState();
    });
  }

  private XferException verifyChecksums() {
    JsonObject out = null;
    JsonObject in = null;
    JsonObject last = null;
    for (int i = 0; i < steps.size(); i++) {
      status.result(steps.get(i).name(), results[i]);
      JsonObject c = results[i] == null ? null : results[i].getJsonObject("checksum");
      if (c == null) {
        continue;
      }
      String name = steps.get(i).name();
      status.addChecksum(name, c);
      last = c;
      if (ChainBuilder.CHECKSUM_OUT.equals(name)) {
        out = c;
      } else if (ChainBuilder.CHECKSUM_IN.equals(name)) {
        in = c;
      }
    }
    if (spec.options().checksum() == null) {
      status.checksum(last);
      return null;
    }
    JsonObject landed = in != null ? in : out;
    status.checksum(landed);
    if (out != null && in != null && !out.getString("value").equals(in.getString("value"))) {
      return new XferException(ErrorCode.CHECKSUM_MISMATCH, "options.checksum: " + out.getString("algorithm")
        + " of the bytes sent is " + out.getString("value") + " but of the bytes received is " + in.getString("value"));
    }
    String expected = spec.options().expectedChecksum();
    if (expected != null && landed != null && !expected.equals(landed.getString("value"))) {
      return new XferException(ErrorCode.CHECKSUM_MISMATCH, "options.checksum.expected: expected "
        + expected + " but the " + landed.getString("algorithm") + " of the bytes is " + landed.getString("value"));
    }
    return null;
  }

  /** The first error wins: it cancels every element. Later ones are recorded as secondary. */
  void fail(XferException error) {
    if (status.state().isFinal()) {
      return;
    }
    boolean first = status.error(error);
    if (!first || ending) {
      return;
    }
    log.info("transfer {} failed: {} ({}{})", spec.id(), error.getMessage(), error.code(),
      error.element() == null ? "" : ", element " + error.element());
    end(State.FAILED, error.getMessage());
  }

  /** Cancels on request; the status is final once every element has answered. */
  void cancel(String reason) {
    if (status.state().isFinal()) {
      answerCancelRequests();
      return;
    }
    if (ending) {
      return;
    }
    log.info("transfer {} cancelled: {}", spec.id(), reason);
    end(State.CANCELLED, reason);
  }

  /** A node left the cluster: a transfer that touches it fails with 503. Callable from any thread. */
  public void nodeLeft(String node) {
    if (plan.nodes().contains(node) && context != null) {
      context.runOnContext(v -> {
        lostNodes.add(node);
        fail(new XferException(ErrorCode.UNAVAILABLE, "node " + node + " left the cluster"));
      });
    }
  }

  private void end(State finalState, String reason) {
    ending = true;
    target = finalState;
    vertx.cancelTimer(setupTimer);
    // an element still being deployed would miss the CANCEL and set up anyway: wait for every agent first
    Future.join(new ArrayList<>(setupAcks)).onComplete(acks ->
      broadcast(Msg.of(Msg.CANCEL).put("reason", reason)).onComplete(ar -> finalState()));
  }

  /** Sends {@code msg} to every element and waits for every answer (or the end timeout). */
  private Future<Void> broadcast(JsonObject msg) {
    List<Future<?>> answers = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (lostNodes.contains(steps.get(i).node())) {
        continue;
      }
      String name = steps.get(i).name();
      answers.add(vertx.eventBus().request(Addresses.element(spec.id(), i), msg,
        new DeliveryOptions().setSendTimeout(END_TIMEOUT_MS)).recover(t -> {
          if (t instanceof ReplyException && ((ReplyException) t).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            // the element answered with a failure, e.g. its commit failed
            return Future.failedFuture(XferException.from(t).withElement(name));
          }
          return Future.succeededFuture(); // gone already, or never deployed
        }));
    }
    return Future.join(answers).mapEmpty();
  }

  /** Records the final state in the store first, then tells the world: whoever hears it can read it. */
  private void finalState() {
    vertx.cancelTimer(deadline);
    status.state(target);
    JsonObject json = status.toJson();
    writer.putFinal(json).onComplete(ar -> {
      if (ar.failed()) {
        log.warn("transfer {}: cannot store its final status: {}", spec.id(), ar.cause().getMessage());
      }
      events.state(target);
      if (target == State.DONE) {
        events.done(status.bytes(), status.durationMs(), status.checksum());
      } else if (status.error() != null) {
        events.error(status.error().toJson());
      }
      if (status.error() != null && target != State.CANCELLED) {
        submitted.tryFail(status.error());
      }
      submitted.tryComplete(new JsonObject().put("id", spec.id()).put("state", target.name())
        .put("plan", json.getJsonObject("plan")));
      answerCancelRequests();
      onFinished.accept(this);
      vertx.undeploy(deploymentID());
    });
  }

  private void answerCancelRequests() {
    JsonObject json = status.toJson();
    cancelRequests.forEach(m -> m.reply(json));
    cancelRequests.clear();
  }

  private void transition(State s) {
    status.state(s);
    events.state(s);
    if (!s.isFinal()) {
      writer.put(status.toJson());
      lastStored = System.currentTimeMillis();
    }
  }

  private void storeThrottled() {
    long now = System.currentTimeMillis();
    if (now - lastStored >= Events.PROGRESS_INTERVAL_MS) {
      lastStored = now;
      writer.put(status.toJson());
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
