package io.xfernode.node;

import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node that runs out of memory stops (SPEC 5): it never lingers with its event loops gone and its ports
 * still open. Whatever thread the {@link VirtualMachineError} reaches, a Vert.x handler's or any other's,
 * the process halts with {@value #EXIT_CODE}, and the cluster sees the node leave. The memory budget
 * ({@code limits.maxBufferedBytes}) is what keeps this from happening; this is for when it happens anyway.
 * Running the JVM with {@code -XX:+ExitOnOutOfMemoryError} as well covers errors no handler sees.
 */
public final class OomGuard {

  /** The exit code of a node stopped by an {@link OutOfMemoryError}: {@code EX_SOFTWARE}. */
  public static final int EXIT_CODE = 70;

  private static final Logger log = LoggerFactory.getLogger(OomGuard.class);

  private OomGuard() {
  }

  /** Guards every thread of the process, and every handler of {@code vertx}. */
  public static void install(Vertx vertx) {
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    if (!(previous instanceof Handler)) {
      Thread.setDefaultUncaughtExceptionHandler(new Handler(previous));
    }
    vertx.exceptionHandler(t -> {
      check(t);
      if (FailedClusterWrite.matches(t)) {
        log.debug("a clustered event-bus write to a node that is leaving failed: {}", t.toString());
      } else {
        log.error("unhandled failure in a handler", t);
      }
    });
  }

  /** Halts the process if {@code t} is, or was caused by, a virtual machine error. */
  public static void check(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof VirtualMachineError fatal) {
        halt(fatal);
      }
    }
  }

  private static void halt(VirtualMachineError fatal) {
    try {
      // no stack trace: it would need memory, and the cause is known; if even logging fails, it halts anyway
      log.error("{} on thread {}: the node stops now (exit {})", fatal, Thread.currentThread().getName(), EXIT_CODE);
    } finally {
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }

  private record Handler(Thread.UncaughtExceptionHandler previous) implements Thread.UncaughtExceptionHandler {
    @Override
    public void uncaughtException(Thread thread, Throwable t) {
      check(t);
      if (previous != null) {
        previous.uncaughtException(thread, t);
      } else {
        log.error("thread {} died", thread.getName(), t);
      }
    }
  }
}
