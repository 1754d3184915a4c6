package io.xfernode.test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP peer slower than the node, as issue reproductions have it: it accepts one connection on 127.0.0.1
 * and reads 64 KiB every 2 ms, with a 64 KiB receive buffer, until a clean end of stream. What it got is the
 * future's value; a reset fails the future.
 */
public final class SlowReader {

  private final ServerSocket server;
  private final CompletableFuture<byte[]> got;

  private SlowReader(ServerSocket server) {
    this.server = server;
    this.got = CompletableFuture.supplyAsync(this::readAll);
  }

  /** Listens on an ephemeral port of 127.0.0.1 and starts reading in the background once a peer connects. */
  public static SlowReader listen() throws java.io.IOException {
    ServerSocket server = new ServerSocket();
    server.setReceiveBufferSize(64 * 1024); // accepted sockets inherit it: a small window
    server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return new SlowReader(server);
  }

  public int port() {
    return server.getLocalPort();
  }

  /** @return every byte read before a clean end of stream */
  public CompletableFuture<byte[]> got() {
    return got;
  }

  private byte[] readAll() {
    try (server; Socket s = server.accept(); InputStream in = s.getInputStream()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        Thread.sleep(2); // the pace of a slow peer, not a wait for anything
      }
      return out.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
