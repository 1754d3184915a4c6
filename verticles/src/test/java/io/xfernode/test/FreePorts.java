package io.xfernode.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports the OS hands out. Only for servers that cannot bind port 0 themselves and report it back, such
 * as Hazelcast members, which must be told each other's ports up front.
 */
public final class FreePorts {

  private FreePorts() {
  }

  /**
   * Free ports below the kernel's ephemeral range, for servers told their port up front: the OS never
   * hands these to an outgoing connection, which could otherwise take a port between this check and
   * the server's bind.
   */
  public static int[] takeFixed(int count) {
    int below = ephemeralLow();
    java.util.Random random = new java.util.Random();
    int[] ports = new int[count];
    java.util.Set<Integer> chosen = new java.util.HashSet<>();
    for (int i = 0; i < count; i++) {
      for (int attempt = 0; ; attempt++) {
        int port = 10_000 + random.nextInt(Math.max(1, below - 10_000));
        if (!chosen.contains(port) && bindable(port)) {
          chosen.add(port);
          ports[i] = port;
          break;
        }
        if (attempt > 1000) {
          throw new IllegalStateException("no free port between 10000 and " + below);
        }
      }
    }
    return ports;
  }

  private static int ephemeralLow() {
    // read line by line: Files.readString reads a /proc file's reported size, which is wrong
    try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(
      java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      int low = Integer.parseInt(r.readLine().trim().split("\\s+")[0]);
      return low > 11_000 ? low : 32_768;
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public static int[] take(int count) {
    ServerSocket[] sockets = new ServerSocket[count];
    int[] ports = new int[count];
    try {
      for (int i = 0; i < count; i++) {
        sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ports[i] = sockets[i].getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        if (s != null) {
          try {
            s.close();
          } catch (IOException ignored) {
            // the port is released either way
          }
        }
      }
    }
  }
}
