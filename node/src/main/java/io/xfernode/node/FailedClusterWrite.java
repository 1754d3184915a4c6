package io.xfernode.node;

/**
 * Recognises a quirk of Vert.x 5.0's clustered event bus: when a write to another node fails (the node was
 * killed, its connection reset), the write's delivery context refuses the failure, and Vert.x reports
 * {@code IllegalStateException: Promise already completed} to the context's exception handler, with no
 * frame of ours on the stack. Nothing is lost that the node's loss does not already account for (the
 * membership event ends what the node took part in), so it is not an unhandled failure of the node's.
 */
final class FailedClusterWrite {

  private FailedClusterWrite() {
  }

  /**
   * @return whether {@code t} is that report: the message, and no frame of ours nearer the completion than a
   *     Vert.x network or cluster frame (a write's listener may also run as a task, with no frame but Vert.x's
   *     and Netty's). The engine never hands a promise to {@code onComplete} where it could be completed
   *     twice, so a promise of ours completed twice still shows, as a bug should.
   */
  static boolean matches(Throwable t) {
    if (!(t instanceof IllegalStateException) || !"Promise already completed".equals(t.getMessage())) {
      return false;
    }
    for (StackTraceElement e : t.getStackTrace()) {
      String c = e.getClassName();
      if (c.startsWith("io.xfernode.")) {
        return false;
      }
      if (c.startsWith("io.vertx.core.net.impl.") || c.startsWith("io.vertx.core.eventbus.impl.clustered.")) {
        return true;
      }
    }
    return true;
  }
}
