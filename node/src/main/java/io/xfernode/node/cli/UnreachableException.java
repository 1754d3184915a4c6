package io.xfernode.node.cli;

/** No node to talk to: the bridge connection could not be opened, timed out, or broke (exit code 3). */
final class UnreachableException extends Exception {

  UnreachableException(String message) {
    super(message, null, false, false);
  }
}
