package io.xfernode.test;

import io.vertx.core.impl.VertxThread;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Fails a test class if anything made a blocking call (a file read, a lock wait, a sleep) on a Vert.x event
 * loop while it ran, however short: BlockHound instruments the JDK's blocking methods, as in Reactor
 * Netty's suite. The blocked-thread checker ({@link NoBlockedThreads}) only sees calls that last long.
 * Registered for every test class through JUnit's extension auto-detection.
 */
public final class NoBlockingCalls implements BeforeAllCallback, AfterAllCallback {

  private static final Set<String> SEEN = new LinkedHashSet<>();

  static {
    // what the JVM reads once, when a class first loads, is loaded before the check starts
    for (String once : List.of("sun.net.NetProperties", "io.vertx.core.spi.tls.DefaultJDKCipherSuite",
      "io.netty.handler.ssl.JdkSslServerContext", "io.netty.handler.ssl.JdkSslClientContext")) {
      try {
        Class.forName(once, true, NoBlockingCalls.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load " + once, e);
      }
    }
    BlockHound.install(new Integration());
  }

  /** Event loops may not block; what the JDK and the libraries we use do on purpose there is allowed. */
  static final class Integration implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
      builder.nonBlockingThreadPredicate(p -> p.or(t -> t instanceof VertxThread v && !v.isWorker()));
      // handing a task to an executor takes its queue's lock for as long as a put takes (Vert.x's blocking
      // calls and AsyncFile reads, the node's stream threads)
      builder.allowBlockingCallsInside("java.util.concurrent.ThreadPoolExecutor", "execute");
      // Vert.x itself: a closing context shuts its worker pool down; a TLS context is made once and cached
      builder.allowBlockingCallsInside("io.vertx.core.internal.WorkerPool", "close");
      builder.allowBlockingCallsInside("io.vertx.core.internal.tls.SslContextProvider", "createContext");
      // the platform's generator reads /dev/urandom, the kernel's generator, which never waits once the system
      // is up: Vert.x draws reply addresses and SockJS ids and entropy from it (the node's own ids and tokens
      // come from a seeded DRBG, see Secrets)
      builder.allowBlockingCallsInside("sun.security.provider.NativePRNG", "engineNextBytes");
      // Netty's adaptive allocator takes a short lock when it grows or frees a magazine (its own integration,
      // loaded too, does not list it yet)
      builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
      builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
      // seeding the node's one generator reads /dev/urandom once per process (see Secrets)
      builder.allowBlockingCallsInside("io.xfernode.api.Secrets", "<clinit>");
      // logging writes to the console and files: the test's own output, not the product's behaviour
      builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "writeBytes");
      builder.allowBlockingCallsInside("ch.qos.logback.core.OutputStreamAppender", "subAppend");
      // a ring's lock guards only its queue's bookkeeping, never I/O: an event loop waits for it no longer
      // than a blocking thread takes to move a buffer reference in or out (see Ring)
      for (String m : List.of("bufferedBytes", "end", "fail", "deliver", "scheduleDelivery", "maybeDrain")) {
        builder.allowBlockingCallsInside("io.xfernode.link.Ring", m);
      }
      for (String m : List.of("write", "end", "writeQueueFull", "drainHandler")) {
        builder.allowBlockingCallsInside("io.xfernode.link.Ring$Writer", m);
      }
      for (String m : List.of("handler", "pause", "resume", "fetch", "endHandler")) {
        builder.allowBlockingCallsInside("io.xfernode.link.Ring$Reader", m);
      }
      // the same for the queue in front of a pool receiver's file-writing thread
      for (String m : List.of("write", "finish", "fail")) {
        builder.allowBlockingCallsInside("io.xfernode.pool.FileOutput", m);
      }
      builder.blockingMethodCallback(method -> {
        BlockingOperationError error = new BlockingOperationError(method);
        StringBuilder where = new StringBuilder(Thread.currentThread().getName()).append(": ").append(method);
        int shown = 0;
        for (StackTraceElement e : error.getStackTrace()) {
          if (!e.getClassName().startsWith("reactor.blockhound") && !e.getClassName().startsWith(NoBlockingCalls.class.getName())
            && shown++ < 24) {
            where.append("\n    at ").append(e);
          }
        }
        synchronized (SEEN) {
          SEEN.add(where.toString());
        }
        // recorded, not thrown: an error thrown into a handler would hang the test instead of naming the call
      });
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    drain();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> seen = drain();
    if (!seen.isEmpty()) {
      System.err.println("BLOCKING " + context.getDisplayName() + ":\n" + String.join("\n", seen));
      throw new AssertionError(seen.size() + " blocking call(s) on an event loop during " + context.getDisplayName()
        + ":\n" + String.join("\n", seen.subList(0, Math.min(5, seen.size()))));
    }
  }

  private static List<String> drain() {
    synchronized (SEEN) {
      List<String> out = new ArrayList<>(SEEN);
      SEEN.clear();
      return out;
    }
  }
}
