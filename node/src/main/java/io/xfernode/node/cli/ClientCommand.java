package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * A subcommand that talks to a node through its TCP bridge. It connects, runs, and turns what went wrong
 * into one line on stderr and the exit code of {@link ExitCodes}; never a stack trace for a user's error.
 */
@Command(mixinStandardHelpOptions = true, exitCodeListHeading = "%nExit codes:%n",
  exitCodeList = {"0:done (cp, watch), or answered", "2:refused: a 4xx code (401 and 403 too), or a bad flag",
    "3:no node reachable", "4:the transfer FAILED, or the node failed the request (5xx)",
    "5:the transfer was CANCELLED", "130:interrupted (Ctrl-C)"})
abstract class ClientCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ClientOptions client;

  /** Runs the subcommand over {@code bridge}; returns its exit code. */
  abstract int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException;

  @Override
  public final Integer call() {
    try (BridgeConnection bridge = client.connect()) {
      return run(bridge);
    } catch (BridgeException e) {
      err().println("xfernode: " + e.describe());
      return ExitCodes.forFailureCode(e.code());
    } catch (UnreachableException e) {
      err().println("xfernode: " + e.getMessage());
      return ExitCodes.UNREACHABLE;
    } catch (InterruptedException e) {
      err().println("xfernode: interrupted");
      return ExitCodes.INTERRUPTED;
    } finally {
      out().flush();
      err().flush();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  boolean json() {
    return client.json;
  }

  /** Prints {@code value} as indented JSON on stdout. */
  void printJson(Object value) {
    out().println(value instanceof JsonObject o ? o.encodePrettily()
      : value instanceof io.vertx.core.json.JsonArray a ? a.encodePrettily() : String.valueOf(value));
  }
}
