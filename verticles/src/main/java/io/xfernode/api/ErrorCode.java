package io.xfernode.api;

/**
 * The failure codes of the public API (SPEC 2.1). They travel as the failure code of an event-bus
 * {@link io.vertx.core.eventbus.ReplyException} and as {@code error.code} in a transfer status.
 */
public final class ErrorCode {

  /** Bad request; the message names the field. */
  public static final int BAD_REQUEST = 400;
  /** No token, or an unknown one, where tokens are configured. */
  public static final int UNAUTHORIZED = 401;
  /** A path outside the roots, a command not allow-listed, or an address that is not permitted. */
  public static final int FORBIDDEN = 403;
  /** Unknown transfer, node, element type, pool or file. */
  public static final int NOT_FOUND = 404;
  /** A duplicate id, or a destination that exists while overwrite is false. */
  public static final int CONFLICT = 409;
  /** The checksum computed where the bytes landed differs from the one computed where they left. */
  public static final int CHECKSUM_MISMATCH = 422;
  /** The node is at capacity. */
  public static final int AT_CAPACITY = 429;
  /** Internal error. */
  public static final int INTERNAL = 500;
  /** An outside party failed: a process exited non-zero, a remote HTTP server answered 5xx. */
  public static final int BAD_GATEWAY = 502;
  /** A node is unavailable or left the cluster. */
  public static final int UNAVAILABLE = 503;
  /** Timed out. */
  public static final int TIMEOUT = 504;

  private ErrorCode() {
  }

  /** @return whether {@code code} is one of the codes above */
  public static boolean isKnown(int code) {
    switch (code) {
      case BAD_REQUEST: case UNAUTHORIZED: case FORBIDDEN: case NOT_FOUND: case CONFLICT: case CHECKSUM_MISMATCH:
      case AT_CAPACITY: case INTERNAL: case BAD_GATEWAY: case UNAVAILABLE: case TIMEOUT:
        return true;
      default:
        return false;
    }
  }
}
