package io.xfernode.pool.wire;

/** Bytes that break the pool protocol: their connection is closed, with this reason logged. */
public final class ProtocolException extends RuntimeException {

  public ProtocolException(String reason) {
    super(reason, null, false, false);
  }
}
