package io.xfernode.transport;

import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Blocking {@code java.nio} sockets, for glue that runs on a thread of its own. */
public final class BlockingSockets {

  public static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int SOCKET_BUFFER = 1 << 20;

  private BlockingSockets() {
  }

  /** Binds a listener on {@code host}, any free port, with a backlog of one. */
  public static ServerSocketChannel listen(String host) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open();
    server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
    server.bind(new InetSocketAddress(host, 0), 1);
    return server;
  }

  public static SocketAddress address(ServerSocketChannel server) throws IOException {
    InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
    return SocketAddress.inetSocketAddress(local.getPort(), local.getAddress().getHostAddress());
  }

  /** Accepts one connection, then closes the listener: a glue listens for exactly one peer. */
  public static SocketChannel acceptOne(ServerSocketChannel server) throws IOException {
    try {
      SocketChannel channel = server.accept();
      tune(channel);
      return channel;
    } finally {
      server.close();
    }
  }

  public static SocketChannel connect(SocketAddress address) throws IOException {
    SocketChannel channel = SocketChannel.open();
    try {
      tune(channel);
      channel.socket().connect(new InetSocketAddress(address.host(), address.port()), CONNECT_TIMEOUT_MS);
      return channel;
    } catch (IOException e) {
      channel.close();
      throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
    }
  }

  private static void tune(SocketChannel channel) throws IOException {
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
    channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
  }

  /** Closes so that the peer sees a reset, never a clean end of stream. */
  public static void abort(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      if (channel.isOpen()) {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
      }
    } catch (IOException ignored) {
      // closing below is what matters
    }
    closeQuietly(channel);
  }

  public static void closeQuietly(java.nio.channels.Channel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do with a channel that fails to close
    }
  }
}
