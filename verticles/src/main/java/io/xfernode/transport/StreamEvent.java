package io.xfernode.transport;

/**
 * What a read or write operation reports (SPEC 1.4): the buffer was filled or emptied and wants more
 * (READ_READY, WRITE_READY), the count was reached (READ_COMPLETE, WRITE_COMPLETE), the stream ended before
 * the count (EOS), or it failed (ERROR).
 */
public enum StreamEvent {
  READ_READY, WRITE_READY, READ_COMPLETE, WRITE_COMPLETE, EOS, ERROR;

  /** @return whether the operation is over once it reported this */
  public boolean ends() {
    return this == READ_COMPLETE || this == WRITE_COMPLETE || this == EOS || this == ERROR;
  }
}
