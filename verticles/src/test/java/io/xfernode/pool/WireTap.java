package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.io.ByteArrayOutputStream;

/**
 * A TCP relay on loopback that keeps a copy of every byte it carries, both ways: what crosses the wire
 * between two nodes, for tests that must see what a socket carried rather than trust a flag.
 */
final class WireTap implements AutoCloseable {

  private final NetServer server;
  private final NetClient client;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  private WireTap(NetServer server, NetClient client) {
    this.server = server;
    this.client = client;
  }

  static WireTap to(Vertx vertx, SocketAddress target) throws Exception {
    NetClient client = vertx.createNetClient();
    WireTap[] self = new WireTap[1];
    NetServer server = vertx.createNetServer().connectHandler(in -> {
      in.pause();
      client.connect(target).onComplete(ar -> {
        if (ar.failed()) {
          in.close();
          return;
        }
        NetSocket out = ar.result();
        relay(in, out, self[0]);
        relay(out, in, self[0]);
        in.resume();
      });
    });
    PoolKit.await(server.listen(0, "127.0.0.1"));
    self[0] = new WireTap(server, client);
    return self[0];
  }

  private static void relay(NetSocket from, NetSocket to, WireTap tap) {
    from.handler(b -> {
      tap.record(b);
      to.write(b);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
    from.endHandler(v -> to.close());
    from.exceptionHandler(t -> to.close());
  }

  private synchronized void record(Buffer b) {
    seen.writeBytes(b.getBytes());
  }

  SocketAddress address() {
    return SocketAddress.inetSocketAddress(server.actualPort(), "127.0.0.1");
  }

  synchronized byte[] seen() {
    return seen.toByteArray();
  }

  /** @return whether {@code needle} ever crossed the wire */
  boolean carried(byte[] needle) {
    byte[] hay = seen();
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Override
  public void close() throws Exception {
    PoolKit.await(Future.join(server.close(), client.close()));
  }
}
