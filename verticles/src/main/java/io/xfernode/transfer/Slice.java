package io.xfernode.transfer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transfer.msg.Done;
import io.xfernode.transfer.msg.Ready;
import io.xfernode.transfer.msg.Setup;
import io.xfernode.transfer.msg.Start;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The part of one transfer that runs on one node: its local elements and the links between them, all on
 * one context, like the handlers of a Netty pipeline. The {@link Agent} makes it from SETUP; it reports
 * READY once every element is set up (and starts them then, when SETUP says so), and obeys START, CANCEL
 * and COMMIT. Everything here runs on the slice's context.
 */
final class Slice {

  private static final Logger log = LoggerFactory.getLogger(Slice.class);

  /** If no START or CANCEL arrives this long after READY, the controller is gone: clean up. */
  static final long ORPHAN_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final Context context;
  private final Setup setup;
  private final String node;
  private final List<ElementRun> runs;
  /** Gives back the threads and memory the slice reserved on this node. */
  private final Runnable releaseReserved;
  private final Consumer<ControlMessage> reporter;
  private final Promise<Void> ended = Promise.promise();
  private boolean ending;
  private long orphanTimer = -1;

  Slice(Vertx vertx, Context context, Setup setup, String node, List<ElementRun> runs,
        Runnable releaseReserved, Consumer<ControlMessage> reporter) {
    this.vertx = vertx;
    this.context = context;
    this.setup = setup;
    this.node = node;
    this.runs = List.copyOf(runs);
    this.releaseReserved = releaseReserved;
    this.reporter = reporter;
  }

  String transfer() {
    return setup.transfer();
  }

  Setup setupMessage() {
    return setup;
  }

  /** Completes once the slice has released everything, whichever way it ended. */
  Future<Void> ended() {
    return ended.future();
  }

  /** Sets every element up; READY goes out once all are, an ERROR for the first that is not. */
  void setup() {
    context.runOnContext(v -> {
      List<Future<Void>> setups = new ArrayList<>();
      for (ElementRun run : runs) {
        setups.add(run.setup().onFailure(t -> {
          if (!ending) {
            run.fail(t);
          }
        }));
      }
      Future.all(setups).onSuccess(all -> {
        if (ending) {
          return;
        }
        reporter.accept(new Ready(setup.transfer(), node, runs.stream().map(r -> r.ctx().ready()).toList(),
          commits()));
        if (setup.start()) {
          start(new Start(setup.transfer(), java.util.Map.of()));
        } else {
          orphanTimer = vertx.setTimer(ORPHAN_TIMEOUT_MS, t -> orphaned());
        }
      });
    });
  }

  void start(Start start) {
    context.runOnContext(v -> {
      vertx.cancelTimer(orphanTimer);
      if (!ending) {
        List<Future<Done>> all = runs.stream().map(r -> r.start(start.peersOf(r.ctx().index()))).toList();
        if (commits()) {
          all.forEach(done -> done.onSuccess(reporter::accept));
        } else {
          // nothing here waits for COMMIT, and none will come: once every element is done, release them,
          // then report them DONE, so that whoever sees the transfer DONE finds this node's part released
          Future.all(all).onSuccess(done -> {
            if (!ending) {
              ending = true;
              releaseAll();
              ended.future().onComplete(released -> all.forEach(d -> reporter.accept(d.result())));
            }
          });
        }
      }
    });
  }

  /** Whether an element here has anything to do at COMMIT; without, the controller sends this node none. */
  private boolean commits() {
    return runs.stream().anyMatch(ElementRun::commits);
  }

  /** Stops every element, undoes what must not remain, releases everything; completes when done. */
  Future<Void> cancel(String reason) {
    return onContext(() -> {
      if (!ending) {
        ending = true;
        vertx.cancelTimer(orphanTimer);
        XferException why = new XferException(ErrorCode.INTERNAL, reason);
        runs.forEach(r -> r.cancel(why));
        releaseAll();
      }
      return ended.future();
    });
  }

  /**
   * Makes every element's result durable, then releases everything.
   *
   * @return fails with the first element's commit failure
   */
  Future<Void> commit(io.xfernode.transfer.msg.Commit commit) {
    return onContext(() -> {
      if (ending) {
        return ended.future().compose(v -> Future.failedFuture(new XferException(ErrorCode.INTERNAL,
          "transfer " + setup.transfer() + " had already ended on node " + node)));
      }
      ending = true;
      vertx.cancelTimer(orphanTimer);
      if (commit.verify() && commit.checksum() != null) {
        runs.forEach(r -> r.ctx().verifyChecksum(commit.checksum()));
      }
      List<Future<Void>> commits = runs.stream().map(ElementRun::commit).toList();
      return Future.join(commits).transform(ar -> {
        releaseAll();
        Future<Void> failed = commits.stream().filter(Future::failed).findFirst().orElse(null);
        return ended.future().compose(v -> failed == null ? Future.succeededFuture() : failed);
      });
    });
  }

  private void releaseAll() {
    Future.join(runs.stream().map(ElementRun::release).toList()).onComplete(ar -> {
      releaseReserved.run();
      ended.tryComplete();
    });
  }

  private void orphaned() {
    log.warn("transfer {}: heard nothing from its controller on {} for {} s after READY: cancelling it here",
      setup.transfer(), setup.controllerNode(), ORPHAN_TIMEOUT_MS / 1000);
    cancel("the controller is gone");
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(p);
      } catch (RuntimeException e) {
        p.fail(e);
      }
    });
    return p.future();
  }
}
