package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.transport.BlockingSockets;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The TCP sides of one blocking glue instance. A side whose mechanism makes this glue listen
 * (TCP_LISTEN on the input, TCP_CONNECT on the output) is bound at setup and its address published;
 * at start it is accepted, and a side that makes this glue connect is connected to the peer's address.
 */
final class GlueSockets {

  private final Mechanism in;
  private final Mechanism out;
  private volatile ServerSocketChannel inServer;
  private volatile ServerSocketChannel outServer;
  volatile SocketChannel input;
  volatile SocketChannel output;

  GlueSockets(Mechanism in, Mechanism out) {
    this.in = in;
    this.out = out;
  }

  /** At setup: listens on the sides that listen, and publishes their addresses. */
  Future<Void> listen(ElementContext ctx) {
    if (in != Mechanism.TCP_LISTEN && out != Mechanism.TCP_CONNECT) {
      return Future.succeededFuture();
    }
    return ctx.blocking("listen", () -> {
      if (in == Mechanism.TCP_LISTEN) {
        inServer = BlockingSockets.listen(ctx.env().host());
        ctx.listenInput(BlockingSockets.address(inServer));
      }
      if (out == Mechanism.TCP_CONNECT) {
        outServer = BlockingSockets.listen(ctx.env().host());
        ctx.listenOutput(BlockingSockets.address(outServer));
      }
      return null;
    });
  }

  /** On the glue's thread: accepts or connects every TCP side. */
  void open(ElementContext ctx) throws Exception {
    if (in == Mechanism.TCP_LISTEN) {
      input = BlockingSockets.acceptOne(inServer);
    } else if (in == Mechanism.TCP_CONNECT) {
      input = BlockingSockets.connect(await(ctx.inputPeer()));
    }
    if (out == Mechanism.TCP_LISTEN) {
      output = BlockingSockets.connect(await(ctx.outputPeer()));
    } else if (out == Mechanism.TCP_CONNECT) {
      output = BlockingSockets.acceptOne(outServer);
    }
  }

  /** After the last byte: closes cleanly (outputs were already shut down). */
  void close() {
    BlockingSockets.closeQuietly(input);
    BlockingSockets.closeQuietly(output);
    BlockingSockets.closeQuietly(inServer);
    BlockingSockets.closeQuietly(outServer);
  }

  /** On cancel or failure: resets every connection, so no peer mistakes it for a clean end. */
  void abort() {
    BlockingSockets.abort(input);
    BlockingSockets.abort(output);
    BlockingSockets.closeQuietly(inServer);
    BlockingSockets.closeQuietly(outServer);
  }

  private static SocketAddress await(Future<SocketAddress> address) throws Exception {
    try {
      return address.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the peer's address did not arrive within 30 s");
    }
  }
}
