package io.xfernode.node.cli;

/**
 * The exit codes of the client subcommands (SPEC 2.6), the same for every one of them. {@code cp} and
 * {@code watch} exit by the transfer's final state; the others exit 0 once the node answered.
 */
public final class ExitCodes {

  /** The transfer is DONE, or the node answered the request. */
  public static final int OK = 0;
  /** An error of the client itself, never of the user or the node. */
  public static final int INTERNAL = 1;
  /** The node refused the request (a 4xx code, 401 and 403 included), or a flag was wrong. */
  public static final int REFUSED = 2;
  /** No node reachable: the connection was refused, timed out, or broke. */
  public static final int UNREACHABLE = 3;
  /** The transfer FAILED, or the node failed the request (a 5xx code). */
  public static final int FAILED = 4;
  /** The transfer was CANCELLED. */
  public static final int CANCELLED = 5;
  /** Ctrl-C (SIGINT). */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {
  }

  /** @param failureCode an event-bus failure code; anything but a SPEC code counts as a refusal */
  public static int forFailureCode(int failureCode) {
    if (failureCode >= 500 && failureCode <= 599) {
      return FAILED;
    }
    return REFUSED;
  }

  /** @return the exit code for a transfer that ended in {@code state}, or -1 if that state is not final */
  public static int forState(String state) {
    if (state == null) {
      return -1;
    }
    return switch (state) {
      case "DONE" -> OK;
      case "FAILED" -> FAILED;
      case "CANCELLED" -> CANCELLED;
      default -> -1;
    };
  }

  /** @return whether a transfer in {@code state} will not change any more */
  public static boolean isFinal(String state) {
    return forState(state) >= 0;
  }
}
