package io.xfernode.transfer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Mechanism;
import io.xfernode.events.EventHistory;
import io.xfernode.link.Endpoint;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import io.xfernode.transfer.msg.Cancel;
import io.xfernode.transfer.msg.CancelRequest;
import io.xfernode.transfer.msg.Commit;
import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transfer.msg.Done;
import io.xfernode.transfer.msg.Failure;
import io.xfernode.transfer.msg.Info;
import io.xfernode.transfer.msg.Progress;
import io.xfernode.transfer.msg.Ready;
import io.xfernode.transfer.msg.Setup;
import io.xfernode.transfer.msg.Start;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The parent of one transfer, on a context of its own: it sets the plan's elements up on their nodes
 * (SETUP to each node's agent), starts them once every one is READY, follows their reports, verifies
 * checksums, and ends the transfer exactly once: COMMIT to every node when all elements are DONE, CANCEL
 * to every node on the first error, a cancel request, the deadline, or the loss of a node. The final
 * state is recorded only after the nodes have answered, so a CANCELLED transfer has already removed its
 * partial output.
 */
public final class Controller {

  private static final Logger log = LoggerFactory.getLogger(Controller.class);

  static final long SETUP_TIMEOUT_MS = 30_000;
  static final long END_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final String node;
  private final TransferSpec spec;
  private final Plan plan;
  private final StatusStore.Writer writer;
  private final Promise<JsonObject> submitted;
  private final Consumer<Controller> onFinished;
  private final TransferStatus status;
  private final List<Step> steps;
  private final boolean[] ready;
  private final boolean[] done;
  private final Endpoint[] listenIn;
  private final Endpoint[] listenOut;
  private final JsonObject[] results;
  private final ByteCounts counts;
  private final boolean autoStart;
  private final Events events;
  private volatile JsonObject snapshot;
  private int readyCount;
  private int doneCount;
  private boolean running;
  private boolean ending;
  private State target;
  private final List<Message<JsonObject>> cancelRequests = new ArrayList<>();
  /** Nodes that left: their elements are gone with them, and nobody waits for their answer. */
  private final Set<String> lostNodes = new HashSet<>();
  /** Nodes whose READY said they need a COMMIT; the others release their elements once done. */
  private final Set<String> committing = new HashSet<>();
  /** The agents' answers to SETUP: once they are in, every slice exists and hears CANCEL. */
  private final List<Future<?>> setupAcks = new ArrayList<>();
  private long setupTimer = -1;
  private long deadline = -1;
  private long lastStored;
  private volatile Future<Void> stored;
  /** How long a RUNNING status waits before it is stored; the controller's node answers from memory meanwhile. */
  static final long RUNNING_WRITE_DELAY_MS = 100;

  /**
   * @param context   the context everything of this controller runs on
   * @param history   where this node keeps the transfer's events for subscribers that missed some
   * @param submitted completed with the submit's reply once the transfer runs, or failed if it never does
   */
  public Controller(Vertx vertx, Context context, String node, TransferSpec spec, Plan plan, StatusStore store,
                    EventHistory history, Promise<JsonObject> submitted, Consumer<Controller> onFinished) {
    this.vertx = vertx;
    this.context = context;
    this.node = node;
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
    this.listenIn = new Endpoint[n];
    this.listenOut = new Endpoint[n];
    this.results = new JsonObject[n];
    this.counts = new ByteCounts(steps);
    // START carries listen addresses between neighbours; a plan without TCP links needs none
    this.autoStart = steps.stream().noneMatch(s -> s.out() == Mechanism.TCP_LISTEN || s.out() == Mechanism.TCP_CONNECT);
    this.events = new Events(vertx.eventBus(), history, spec.id());
    changed();
  }

  public String id() {
    return spec.id();
  }

  public Plan plan() {
    return plan;
  }

  /** The status as it stands: an immutable snapshot, safe to read from any thread (copy before changing it). */
  public JsonObject status() {
    return snapshot;
  }

  /** Starts the transfer: SETUP to every node of the plan. */
  /** The name of the token that submitted the transfer, kept in its status; before {@link #start()}. */
  public void submittedBy(String name) {
    status.submittedBy(name);
  }

  public void start() {
    context.runOnContext(v -> setup());
  }

  /** Takes a report or a cancel request for this transfer, from any thread. */
  public void handle(ControlMessage msg, Message<JsonObject> raw) {
    context.runOnContext(v -> onMessage(msg, raw));
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
    // the data connections' token goes to the agents only: it is in no plan, status or event
    byte[] token = new byte[16];
    io.xfernode.api.Secrets.fill(token);
    Setup setup = new Setup(spec.id(), node, plan, HexFormat.of().formatHex(token), autoStart,
      spec.options().resume());
    JsonObject json = setup.toJson();
    for (String n : plan.nodes()) {
      setupAcks.add(vertx.eventBus().request(Addresses.agent(n), json, new DeliveryOptions()
          .setSendTimeout(SETUP_TIMEOUT_MS))
        .onFailure(t -> fail(unreachable(n, t))));
    }
  }

  private static XferException unreachable(String node, Throwable t) {
    if (t instanceof ReplyException && ((ReplyException) t).failureType() == ReplyFailure.NO_HANDLERS) {
      return new XferException(ErrorCode.UNAVAILABLE, "node " + node + " is unavailable");
    }
    return XferException.from(t);
  }

  private void onMessage(ControlMessage msg, Message<JsonObject> raw) {
    if (msg instanceof CancelRequest request) {
      cancelRequests.add(raw);
      cancel(request.reason());
    } else if (msg instanceof Ready r) {
      onReady(r);
    } else if (msg instanceof Progress p && valid(p.index())) {
      if (p.filesTotal() >= 0) {
        status.files(p.filesDone(), p.filesTotal());
      }
      onProgress(p.index(), p.bytes());
    } else if (msg instanceof Info i && valid(i.index())) {
      status.info(steps.get(i.index()).name(), i.info());
      events.info(steps.get(i.index()).name(), i.info());
      changed();
    } else if (msg instanceof Done d && valid(d.index())) {
      onDone(d);
    } else if (msg instanceof Failure f) {
      String element = valid(f.index()) ? steps.get(f.index()).name() : null;
      fail(f.error().withElement(element));
    } else {
      log.debug("transfer {}: ignoring {}", spec.id(), msg.type());
    }
  }

  private boolean valid(int index) {
    return index >= 0 && index < steps.size();
  }

  private void onReady(Ready r) {
    if (ending) {
      return;
    }
    if (r.commit()) {
      committing.add(r.node());
    }
    for (Ready.Element e : r.elements()) {
      int i = e.index();
      if (!valid(i) || ready[i]) {
        continue;
      }
      ready[i] = true;
      readyCount++;
      listenIn[i] = e.listenIn();
      listenOut[i] = e.listenOut();
      if (e.endpoints() != null) {
        status.endpoints(steps.get(i).name(), e.endpoints());
      }
      if (e.total() >= 0 && i == 0) {
        status.total(e.total());
      }
    }
    if (readyCount == steps.size()) {
      vertx.cancelTimer(setupTimer);
      run();
    }
  }

  private void run() {
    if (!autoStart) {
      sendStart();
    }
    running = true;
    transition(State.RUNNING);
    JsonObject reply = new JsonObject().put("id", spec.id()).put("state", State.RUNNING.name())
      .put("plan", snapshot.getJsonObject("plan"));
    if (!status.endpoints().isEmpty()) {
      reply.put("endpoints", status.endpoints());
    }
    submitted.tryComplete(reply);
    if (doneCount == steps.size()) {
      finish();
    }
  }

  /** START to every node, with the listen endpoints each of its steps connects to. */
  private void sendStart() {
    Map<String, Map<Integer, Start.Peers>> byNode = new HashMap<>();
    for (int i = 0; i < steps.size(); i++) {
      // TCP_CONNECT: the upstream listens for its output; TCP_LISTEN: the downstream listens for its input
      Endpoint in = i > 0 ? listenOut[i - 1] : null;
      Endpoint out = i + 1 < steps.size() ? listenIn[i + 1] : null;
      Map<Integer, Start.Peers> peers = byNode.computeIfAbsent(steps.get(i).node(), k -> new HashMap<>());
      if (in != null || out != null) {
        peers.put(i, new Start.Peers(in, out));
      }
    }
    byNode.forEach((n, peers) -> vertx.eventBus().send(Addresses.agent(n), new Start(spec.id(), peers).toJson()));
  }

  private void onProgress(int index, long bytes) {
    counts.moved(index, bytes);
    // bytes are the source's, as its total is; what filters made of them is counted apart, as bytesOut
    status.bytes(counts.in(), counts.out());
    if (events.progress(status.bytes(), status.bytesOut(), status.total(), status.rateBps(), status.filesDone(),
      status.filesTotal(), false)) {
      changed();
      storeThrottled();
    }
  }

  private void onDone(Done d) {
    int index = d.index();
    if (done[index] || ending) {
      return;
    }
    done[index] = true;
    doneCount++;
    results[index] = d.result();
    onProgress(index, d.bytes());
    if (doneCount == steps.size() && running) {
      finish();
    }
  }

  /** Every element is done: verify, then commit everywhere. */
  private void finish() {
    long total = status.total();
    if (total >= 0 && counts.in() != total) {
      // a source that gave fewer (or more) bytes than it announced changed while it was read: never DONE
      fail(XferException.conflict(steps.get(0).name(), "gave " + counts.in() + " of the " + total
        + " bytes it announced: it changed while it was read"));
      return;
    }
    XferException mismatch = verifyChecksums();
    if (mismatch != null) {
      fail(mismatch);
      return;
    }
    ending = true;
    target = State.DONE;
    boolean verify = spec.options().verify() && status.checksum() != null;
    broadcast(new Commit(spec.id(), status.checksum(), verify), committing).onComplete(ar -> {
      if (ar.failed()) {
        status.error(XferException.from(ar.cause()));
        target = State.FAILED;
      } else if (status.checksum() != null) {
        // what was verified: the bytes as they arrived, or what the sink holds, read back
        JsonObject c = status.checksum().copy();
        c.put("verified", verify ? "disk" : c.getString("verified", "stream"));
        status.checksum(c);
      }
      finalState();
    });
  }

  private XferException verifyChecksums() {
    JsonObject out = null;
    JsonObject in = null;
    JsonObject sent = null;
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
      // what leaves for the sink's node over a direct hop, and what lands nearest the sink: a checksum
      // filter, or a pool hop's receiving glue (which has checked its hop against the sending end already)
      String side = results[i].getString("side", "");
      if (ChainBuilder.CHECKSUM_OUT.equals(name)) {
        out = c;
      } else if (ChainBuilder.CHECKSUM_IN.equals(name) || "in".equals(side)) {
        in = c;
      } else if ("out".equals(side)) {
        sent = c;
      }
    }
    if (spec.options().checksum() == null) {
      status.checksum(last);
      return null;
    }
    JsonObject landed = in != null ? in : out != null ? out : sent;
    status.checksum(landed);
    if (out != null && in != null && !out.getString("value").equals(in.getString("value"))
      && !out.getString("algorithm").equals(in.getString("algorithm"))) {
      // checksums of different algorithms cannot be compared: nothing to say
    } else if (out != null && in != null && !out.getString("value").equals(in.getString("value"))) {
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
    changed();
    if (!first || ending) {
      return;
    }
    log.info("transfer {} failed: {} ({}{})", spec.id(), error.getMessage(), error.code(),
      error.element() == null ? "" : ", element " + error.element());
    end(State.FAILED, error.getMessage());
  }

  /** Cancels on request; the status is final once every node has answered. */
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
  public void nodeLeft(String lost) {
    if (plan.nodes().contains(lost)) {
      context.runOnContext(v -> {
        lostNodes.add(lost);
        fail(new XferException(ErrorCode.UNAVAILABLE, "node " + lost + " left the cluster"));
      });
    }
  }

  private void end(State finalState, String reason) {
    ending = true;
    target = finalState;
    vertx.cancelTimer(setupTimer);
    // a slice still being made would miss the CANCEL and set up anyway: wait for every agent first
    Future.join(new ArrayList<>(setupAcks)).onComplete(acks ->
      broadcast(new Cancel(spec.id(), reason), plan.nodes()).onComplete(ar -> finalState()));
  }

  /** Sends {@code msg} to each of {@code nodes} and waits for every answer (or the end timeout). */
  private Future<Void> broadcast(ControlMessage msg, Collection<String> nodes) {
    List<Future<?>> answers = new ArrayList<>();
    JsonObject json = msg.toJson();
    for (String n : nodes) {
      if (lostNodes.contains(n)) {
        continue;
      }
      answers.add(vertx.eventBus().request(Addresses.agent(n), json, new DeliveryOptions()
          .setSendTimeout(END_TIMEOUT_MS))
        .recover(t -> {
          if (t instanceof ReplyException && ((ReplyException) t).failureType() == ReplyFailure.RECIPIENT_FAILURE) {
            // the node answered with a failure, e.g. a commit failed
            return Future.failedFuture(elementFailure((ReplyException) t));
          }
          return Future.succeededFuture(); // gone already
        }));
    }
    return Future.join(answers).mapEmpty();
  }

  /** An agent's failure names the failing element as {@code "<name>: <message>"}. */
  private XferException elementFailure(ReplyException e) {
    XferException x = XferException.from(e);
    String message = String.valueOf(e.getMessage());
    for (Step s : steps) {
      if (message.startsWith(s.name() + ": ")) {
        return new XferException(x.code(), message.substring(s.name().length() + 2), s.name());
      }
    }
    return x;
  }

  /**
   * Tells the world, then records the final state in the store. Until the write is in, the engine answers
   * for the transfer from {@link #finalStored()}'s status in memory, here and for any node that asks, so
   * whoever hears of the end reads the final status anywhere; the write is off the transfer's critical path.
   */
  private void finalState() {
    vertx.cancelTimer(deadline);
    status.state(target);
    // numbered now, so that the final status names the last event (done)
    Events.End end = events.end(target, status.bytes(), status.bytesOut(), status.durationMs(), status.checksum(),
      status.error() == null ? null : status.error().toJson());
    changed();
    JsonObject json = snapshot;
    stored = writer.putFinal(json).onFailure(t ->
      log.warn("transfer {}: cannot store its final status: {}", spec.id(), t.getMessage()));
    // the engine forgets the transfer as an active one first and holds its final status until it is stored:
    // whoever hears of its end finds it gone from the active ones, and ended
    onFinished.accept(this);
    // [error], the final state, then done: done is the last event, which subscribers may close on
    end.publish();
    if (status.error() != null && target != State.CANCELLED) {
      submitted.tryFail(status.error());
    }
    submitted.tryComplete(new JsonObject().put("id", spec.id()).put("state", target.name())
      .put("plan", json.getJsonObject("plan")));
    answerCancelRequests();
  }

  /** Completes once the final status is in the cluster-wide store (or could not be written); null before the end. */
  public Future<Void> finalStored() {
    return stored;
  }

  private void answerCancelRequests() {
    cancelRequests.forEach(m -> m.reply(snapshot));
    cancelRequests.clear();
  }

  private void transition(State s) {
    status.state(s);
    events.state(s);
    changed();
    if (s == State.RUNNING) {
      // a short transfer ends before this is written, so its final status is not queued behind it; the
      // stored status (PENDING, then SETUP with the plan) is what an adopter needs until then
      lastStored = System.currentTimeMillis();
      vertx.setTimer(RUNNING_WRITE_DELAY_MS, t -> {
        if (!status.state().isFinal() && !ending) {
          writer.put(snapshot);
        }
      });
    } else if (!s.isFinal()) {
      writer.put(snapshot);
      lastStored = System.currentTimeMillis();
    }
  }

  private void changed() {
    // the sequence of events so far goes with the status, so that whoever adopts the transfer goes on from it
    snapshot = status.toJson().put("eventSeq", events.lastSeq());
  }

  private void storeThrottled() {
    long now = System.currentTimeMillis();
    if (now - lastStored >= Events.PROGRESS_INTERVAL_MS) {
      lastStored = now;
      writer.put(snapshot);
    }
  }
}
