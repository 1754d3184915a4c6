package io.xfernode.transfer;

/** The states of a transfer (SPEC 1.2). A transfer reaches exactly one final state, once. */
public enum State {
  PENDING, SETUP, RUNNING, DONE, FAILED, CANCELLED;

  public boolean isFinal() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }
}
