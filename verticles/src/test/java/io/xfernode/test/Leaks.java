package io.xfernode.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Counts what a transfer must give back: open file descriptors and live threads of this JVM. */
public final class Leaks {

  private Leaks() {
  }

  /**
   * @return the file descriptors this process holds, from {@code /proc/self/fd}, without the jars and JDK
   * files the class loader opens on first use and keeps open for good
   */
  public static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(fd -> !isClassPath(fd)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isClassPath(Path fd) {
    try {
      String target = Files.readSymbolicLink(fd).toString();
      return target.endsWith(".jar") || target.startsWith("/usr/lib/jvm") || target.endsWith("/modules");
    } catch (IOException gone) {
      return true; // closed while listed
    }
  }

  /**
   * @return the names of the live threads, without the JIT's compiler threads (the JVM starts and stops
   * them on its own), without Vert.x's worker pool threads and without idle stream threads (bounded pools
   * that grow on first use; tests count the busy stream threads through the engine), and without Netty's
   * global executor, which starts and stops on its own
   */
  public static List<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
      .filter(n -> !n.contains("CompilerThread") && !n.startsWith("vert.x-worker-thread-")
        && !n.startsWith("vert.x-internal-blocking-") && !n.startsWith("xfer-stream-")
        && !n.startsWith("globalEventExecutor-"))
      .sorted().collect(Collectors.toList());
  }

  /**
   * @return the threads running an element's work now ({@code xfer-<transfer>-<element>-<what>}); a stream
   * thread between two transfers is called {@code xfer-stream-<n>}
   */
  public static List<String> elementThreads() {
    return liveThreads().stream().filter(n -> n.startsWith("xfer-") && !n.startsWith("xfer-stream-"))
      .collect(Collectors.toList());
  }
}
