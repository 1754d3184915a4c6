package io.xfernode.node.cli;

/**
 * A request the node answered with a failure ({@code err} frame): its SPEC code (0 when the bridge gave
 * none, as for {@code access_denied}) and its one-line message, which names the offending field.
 */
final class BridgeException extends Exception {

  private final int code;

  BridgeException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  int code() {
    return code;
  }

  /** The line the user sees, after {@code "xfernode: "}. */
  String describe() {
    String hint = switch (code) {
      case 401 -> " (give a token with --token or XFER_TOKEN)";
      default -> "";
    };
    return (code > 0 ? code + " " : "") + getMessage() + hint;
  }
}
