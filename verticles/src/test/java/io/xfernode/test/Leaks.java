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

  /** @return the file descriptors this process holds, from {@code /proc/self/fd} */
  public static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @return the names of the live threads, without the JIT's compiler threads (the JVM starts and stops
   * them on its own) and without Vert.x's worker pool threads (a bounded pool that grows on first use)
   */
  public static List<String> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
      .filter(n -> !n.contains("CompilerThread") && !n.startsWith("vert.x-worker-thread-")
        && !n.startsWith("vert.x-internal-blocking-"))
      .sorted().collect(Collectors.toList());
  }

  /** @return the live threads an element started ({@code xfer-<transfer>-<element>-<what>}) */
  public static List<String> elementThreads() {
    return liveThreads().stream().filter(n -> n.startsWith("xfer-")).collect(Collectors.toList());
  }
}
