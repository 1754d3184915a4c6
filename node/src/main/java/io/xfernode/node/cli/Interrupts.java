package io.xfernode.node.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ctrl-C while a transfer is followed (SPEC 2.6). The first SIGINT interrupts the following thread, which
 * cancels the transfer and exits 130; a second one exits 130 at once and leaves the transfer running.
 * SIGINT is taken over only meanwhile: before and after, it stops the JVM as usual.
 */
final class Interrupts implements AutoCloseable {

  private static final Signal INT = new Signal("INT");

  private final AtomicInteger count = new AtomicInteger();
  private final SignalHandler previous;

  private Interrupts(Thread follower, Runnable beforeHalt) {
    SignalHandler was;
    try {
      was = Signal.handle(INT, signal -> {
        if (count.incrementAndGet() == 1) {
          follower.interrupt();
        } else {
          beforeHalt.run();
          Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        }
      });
    } catch (IllegalArgumentException e) {
      // the JVM keeps SIGINT (-Xrs): Ctrl-C stops it as usual, and the transfer runs on
      was = null;
    }
    previous = was;
  }

  /**
   * Takes SIGINT over for the current thread.
   *
   * @param beforeHalt runs on a second Ctrl-C, just before the process halts (to say what was left running)
   */
  static Interrupts install(Runnable beforeHalt) {
    return new Interrupts(Thread.currentThread(), beforeHalt);
  }

  @Override
  public void close() {
    if (previous != null) {
      Signal.handle(INT, previous);
    }
  }
}
