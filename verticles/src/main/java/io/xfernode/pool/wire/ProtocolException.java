package io.xfernode.pool.wire;

/** A frame that breaks the pool protocol: its connection is closed, with this reason logged. */
public final class ProtocolException extends RuntimeException {

  public ProtocolException(String reason) {
    super(reason, null, false, false);
  }
}
