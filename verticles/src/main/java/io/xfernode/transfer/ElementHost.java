package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.xfernode.link.Endpoint;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verticle that hosts one element of one transfer: it runs the element's lifecycle and is the child
 * end of the control messages. It sets the element up as soon as it is deployed and reports READY or
 * ERROR; then it obeys START, CANCEL and COMMIT from the controller. After CANCEL or COMMIT it releases the
 * element and undeploys itself, so everything the element opened on this context is closed.
 */
public final class ElementHost extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ElementHost.class);

  /** If no START or CANCEL arrives this long after READY, the controller is gone: clean up. */
  static final long ORPHAN_TIMEOUT_MS = 120_000;

  private final HostedContext ctx;
  private final Element element;
  private final String controller;
  private final Runnable onStopped;
  private MessageConsumer<JsonObject> consumer;
  private boolean started;
  private boolean finished;
  private long orphanTimer = -1;

  /** @param onStopped called once this host is undeployed */
  public ElementHost(HostedContext ctx, Element element, String controller, Runnable onStopped) {
    this.ctx = ctx;
    this.element = element;
    this.controller = controller;
    this.onStopped = onStopped;
  }

  @Override
  public Future<?> start() {
    ctx.bind(vertx, context, this::report);
    consumer = vertx.eventBus().consumer(Addresses.element(ctx.transferId(), ctx.index()), this::onMessage);
    return consumer.completion().onSuccess(v -> setup());
  }

  private void setup() {
    Future<Void> setup;
    try {
      setup = element.setup(ctx);
    } catch (RuntimeException e) {
      setup = Future.failedFuture(e);
    }
    setup.onComplete(ar -> {
      if (ar.succeeded()) {
        report(ctx.ready());
        orphanTimer = vertx.setTimer(ORPHAN_TIMEOUT_MS, t -> orphaned());
      } else {
        fail(ar.cause());
      }
    });
  }

  private void onMessage(Message<JsonObject> msg) {
    String type;
    try {
      type = Msg.type(msg.body());
    } catch (XferException e) {
      msg.fail(e.code(), e.getMessage());
      return;
    }
    vertx.cancelTimer(orphanTimer);
    switch (type) {
      case Msg.START -> onStart(msg);
      case Msg.CANCEL -> onCancel(msg);
      case Msg.COMMIT -> onCommit(msg);
      default -> msg.fail(ErrorCode.BAD_REQUEST, "type: unknown element message " + type);
    }
  }

  private void onStart(Message<JsonObject> msg) {
    if (started || finished) {
      msg.reply(new JsonObject());
      return;
    }
    started = true;
    ctx.peers(Endpoint.fromJson(msg.body().getJsonObject("inPeer")), Endpoint.fromJson(msg.body().getJsonObject("outPeer")));
    msg.reply(new JsonObject());
    Future<Void> run;
    try {
      run = element.start(ctx);
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    run.onComplete(ar -> {
      if (finished) {
        return;
      }
      if (ar.succeeded()) {
        ctx.flushProgress();
        report(Msg.of(Msg.DONE, ctx.index()).put("bytes", ctx.bytes()).put("result", element.result()));
      } else {
        fail(ar.cause());
      }
    });
  }

  private void onCancel(Message<JsonObject> msg) {
    if (!finished) {
      finished = true;
      XferException reason = new XferException(ErrorCode.INTERNAL,
        msg.body().getString("reason", "cancelled"));
      ctx.cancel(reason);
      try {
        element.cancel(ctx, reason);
      } catch (RuntimeException e) {
        log.warn("transfer {}: {} failed to cancel: {}", ctx.transferId(), ctx.name(), e.toString());
      }
    }
    releaseThen(msg, Future.succeededFuture());
  }

  private void onCommit(Message<JsonObject> msg) {
    if (finished) {
      msg.reply(new JsonObject());
      return;
    }
    finished = true;
    Future<Void> commit;
    try {
      commit = element.commit(ctx);
    } catch (RuntimeException e) {
      commit = Future.failedFuture(e);
    }
    releaseThen(msg, commit.recover(t -> {
      ctx.cancel(t);
      element.cancel(ctx, t);
      return Future.failedFuture(t);
    }));
  }

  /** Waits for {@code outcome}, releases the element, replies, then undeploys this host. */
  private void releaseThen(Message<JsonObject> msg, Future<Void> outcome) {
    outcome.onComplete(ar -> ctx.awaitThreads().eventually(this::release).onComplete(released -> {
      if (ar.succeeded()) {
        msg.reply(new JsonObject().put("bytes", ctx.bytes()));
      } else {
        XferException e = ElementErrors.classify(ar.cause()).withElement(ctx.name());
        msg.fail(e.code(), e.getMessage());
      }
      vertx.undeploy(deploymentID());
    }));
  }

  private Future<Void> release() {
    try {
      return element.release(ctx).recover(t -> {
        log.warn("transfer {}: {} failed to release: {}", ctx.transferId(), ctx.name(), t.toString());
        return Future.succeededFuture();
      });
    } catch (RuntimeException e) {
      log.warn("transfer {}: {} failed to release: {}", ctx.transferId(), ctx.name(), e.toString());
      return Future.succeededFuture();
    }
  }

  private void fail(Throwable t) {
    XferException e = ElementErrors.classify(t).withElement(ctx.name());
    if (e.code() == ErrorCode.INTERNAL && !(t instanceof XferException)) {
      log.error("transfer {}: element {} failed", ctx.transferId(), ctx.name(), t);
    } else {
      log.debug("transfer {}: element {} failed with {}: {}", ctx.transferId(), ctx.name(), e.code(), e.getMessage());
    }
    report(Msg.error(ctx.index(), e));
  }

  private void orphaned() {
    log.warn("transfer {}: element {} heard nothing from its controller for {} s: cancelling it",
      ctx.transferId(), ctx.name(), ORPHAN_TIMEOUT_MS / 1000);
    if (!finished) {
      finished = true;
      ctx.cancel(new XferException(ErrorCode.UNAVAILABLE, "the controller is gone"));
      element.cancel(ctx, new XferException(ErrorCode.UNAVAILABLE, "the controller is gone"));
    }
    ctx.awaitThreads().eventually(this::release).onComplete(v -> vertx.undeploy(deploymentID()));
  }

  /** Cancels this element because its controller's node left the cluster. */
  void controllerLost() {
    context.runOnContext(v -> orphaned());
  }

  private void report(JsonObject msg) {
    vertx.eventBus().send(controller, msg, new DeliveryOptions().setLocalOnly(false));
  }

  /**
   * Undeployed without CANCEL or COMMIT (Vert.x is closing): the element is cancelled and released here,
   * so that it leaves nothing behind.
   */
  @Override
  public Future<?> stop() {
    onStopped.run();
    Future<Void> released = Future.succeededFuture();
    if (!finished) {
      finished = true;
      XferException reason = new XferException(ErrorCode.UNAVAILABLE, "the node is stopping");
      ctx.cancel(reason);
      element.cancel(ctx, reason);
      released = ctx.awaitThreads().eventually(this::release);
    }
    return released.eventually(() -> consumer == null ? Future.succeededFuture() : consumer.unregister());
  }
}
