package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Option;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A subcommand that follows a transfer to its end ({@code cp}, {@code watch}): progress while it runs,
 * one summary line after, Ctrl-C to cancel it, and the exit code of its final state.
 */
abstract class FollowingCommand extends ClientCommand {

  /** How long Ctrl-C waits for the node to confirm the cancel. */
  static final long CANCEL_WAIT_MS = 5000;

  /** How progress is shown. */
  enum ProgressOption { AUTO, TTY, PLAIN, NONE }

  @Option(names = {"-q", "--quiet"}, description = "no progress, and no summary when it succeeds")
  boolean quiet;

  @Option(names = {"-v", "--verbose"}, description = "also the plan and every event but progress, on stderr")
  boolean verbose;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "AUTO",
    description = "auto (default): a line redrawn in place on a terminal, plain lines at most once a second "
      + "elsewhere; tty, plain or none force one")
  ProgressOption progressOption;

  /** What happens once the events are subscribed to: {@code cp} submits here, {@code watch} reads the status. */
  interface Start {
    /** @return the transfer's status if the step has it (a final one ends the following at once), or null */
    JsonObject run(TransferFollower follower) throws BridgeException, UnreachableException, InterruptedException;
  }

  /** A request in flight that Ctrl-C must wait for before it cancels (the submit), or null. */
  private volatile CompletableFuture<JsonObject> inFlight;

  /** Follows transfer {@code id}: subscribes, runs {@code start}, waits for the end; returns the exit code. */
  int follow(BridgeConnection bridge, String id, Start start) throws BridgeException, UnreachableException {
    ProgressRenderer progress = new ProgressRenderer(mode(), err(), System::currentTimeMillis);
    long began = System.currentTimeMillis();
    try (Interrupts ignored = Interrupts.install(() -> {
      progress.finish();
      err().println("xfernode: interrupted again: transfer " + id + " is left running");
      err().flush();
    })) {
      TransferFollower follower = new TransferFollower(bridge, id, progress, verbose ? this::printEvent : null);
      JsonObject end;
      try {
        follower.subscribe();
        JsonObject now = start.run(follower);
        if (now != null && ExitCodes.isFinal(now.getString("state"))) {
          end = now;
        } else {
          progress.runningFor(runningFor(now));
          end = follower.awaitEnd();
        }
      } catch (InterruptedException e) {
        progress.finish();
        return cancel(bridge, id);
      } finally {
        progress.finish();
      }
      return report(end, System.currentTimeMillis() - began);
    }
  }

  /** How long the transfer has run, by its status; 0 when unknown. */
  private static long runningFor(JsonObject status) {
    String since = status == null ? null : status.getString("runningAt");
    try {
      return since == null ? 0 : java.time.Duration.between(java.time.Instant.parse(since), java.time.Instant.now())
        .toMillis();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** Marks a request that Ctrl-C must let finish before it cancels. */
  void inFlight(CompletableFuture<JsonObject> request) {
    inFlight = request;
  }

  private int report(JsonObject status, long clientMs) {
    String state = status.getString("state");
    if (json()) {
      printJson(status);
    } else if ("DONE".equals(state)) {
      if (!quiet) {
        out().println(ProgressRenderer.summary(status, clientMs));
      }
    } else {
      err().println("xfernode: " + ProgressRenderer.summary(status, clientMs));
    }
    return ExitCodes.forState(state);
  }

  private int cancel(BridgeConnection bridge, String id) {
    CompletableFuture<JsonObject> request = inFlight;
    if (request != null) {
      // a transfer whose submit is still being answered may not be known yet: cancel it once it is
      try {
        request.get(CANCEL_WAIT_MS, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // refused, gone or slow: the cancel below says what became of it
      }
    }
    try {
      JsonObject status = bridge.request(Addresses.CANCEL, new JsonObject().put("id", id)
        .put("reason", "interrupted at the command line (Ctrl-C)"), CANCEL_WAIT_MS);
      if (json()) {
        printJson(status);
      }
      err().println("xfernode: interrupted: transfer " + id + " is " + status.getString("state"));
    } catch (BridgeException e) {
      err().println("xfernode: interrupted: could not cancel transfer " + id + ": " + e.describe());
    } catch (UnreachableException e) {
      err().println("xfernode: interrupted: could not cancel transfer " + id + ": " + e.getMessage());
    } catch (InterruptedException e) {
      err().println("xfernode: interrupted again: transfer " + id + " may be left running");
    }
    return ExitCodes.INTERRUPTED;
  }

  private void printEvent(JsonObject event) {
    String type = event.getString("type");
    String text = switch (type == null ? "" : type) {
      case "state" -> "state " + event.getString("state");
      case "error" -> "error " + (event.getValue("error") instanceof JsonObject e ? ProgressRenderer.errorText(e)
        : String.valueOf(event.getValue("error")));
      case "info" -> "info " + event.getString("element") + " " + event.getValue("info");
      case "done" -> "done " + event.getLong("bytes", 0L) + " bytes in " + event.getLong("durationMs", 0L) + " ms";
      default -> type + " " + event.encode();
    };
    err().println(text);
    err().flush();
  }

  ProgressRenderer.Mode mode() {
    if (quiet) {
      return ProgressRenderer.Mode.QUIET;
    }
    return switch (progressOption) {
      case TTY -> ProgressRenderer.Mode.TTY;
      case PLAIN -> ProgressRenderer.Mode.PLAIN;
      case NONE -> ProgressRenderer.Mode.QUIET;
      case AUTO -> System.console() != null ? ProgressRenderer.Mode.TTY : ProgressRenderer.Mode.PLAIN;
    };
  }
}
