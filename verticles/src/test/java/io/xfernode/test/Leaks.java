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

  /** @return the descriptors this process holds on files under {@code dir} */
  public static List<String> fdsUnder(Path dir) {
    String prefix = dir.toAbsolutePath().normalize().toString();
    return targets().stream().filter(t -> t.startsWith(prefix)).toList();
  }

  /**
   * @return how many TCP sockets this process holds open (not UDP ones: the DNS resolver opens one on
   * first use and keeps it)
   */
  public static long tcpSockets() {
    java.util.Set<String> tcp = new java.util.HashSet<>();
    for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] cols = line.trim().split("\\s+");
          if (cols.length > 9 && !cols[0].equals("sl")) {
            tcp.add("socket:[" + cols[9] + "]");
          }
        }
      } catch (IOException e) {
        // no IPv6 table
      }
    }
    return targets().stream().filter(tcp::contains).count();
  }

  private static List<String> targets() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.map(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString();
        } catch (IOException gone) {
          return ""; // closed while listed
        }
      }).toList();
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
