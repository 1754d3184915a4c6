package io.xfernode.link;

import io.xfernode.element.Mechanism;

/** PULL: the upstream offers a {@link PullSource} at setup; the downstream pulls from it once started. */
public final class PullLink implements Link {

  private volatile PullSource source;
  private volatile Throwable failure;

  @Override
  public Mechanism mechanism() {
    return Mechanism.PULL;
  }

  public void offer(PullSource source) {
    this.source = source;
  }

  /**
   * @return the upstream's source, looked up at each pull (neighbours set up in any order, and all of them
   * before the first pull); it fails fast once the link failed
   */
  public PullSource source() {
    return () -> {
      Throwable f = failure;
      if (f != null) {
        throw new InterruptedException("cancelled: " + f.getMessage());
      }
      PullSource s = source;
      if (s == null) {
        throw new IllegalStateException("the upstream element offered no pull source");
      }
      return s.pull();
    };
  }

  @Override
  public void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
  }
}
