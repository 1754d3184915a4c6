package io.xfernode.glue;

import io.vertx.core.Future;
import io.vertx.core.net.SocketAddress;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.Endpoint;
import io.xfernode.transport.BlockingSockets;
import io.xfernode.transport.ChildSocket;
import io.xfernode.transport.ParentSocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * The TCP sides of one blocking glue instance. A side whose mechanism makes this glue listen
 * (TCP_LISTEN on the input, TCP_CONNECT on the output) is bound at setup, registered as a parent with the
 * node's listeners, and its endpoint published; at start it is accepted. A side that makes this glue
 * connect connects to the endpoint its peer published and registers as a child of the peer's listener,
 * possibly on another node, so that the listener hears it open and close.
 */
final class GlueSockets {

  private final Mechanism in;
  private final Mechanism out;
  private volatile ServerSocketChannel inServer;
  private volatile ServerSocketChannel outServer;
  private volatile ParentSocket inParent;
  private volatile ParentSocket outParent;
  private volatile ChildSocket inChild;
  private volatile ChildSocket outChild;
  volatile SocketChannel input;
  volatile SocketChannel output;

  GlueSockets(Mechanism in, Mechanism out) {
    this.in = in;
    this.out = out;
  }

  /** At setup: listens on the sides that listen, and publishes their endpoints. */
  Future<Void> listen(ElementContext ctx) {
    if (in != Mechanism.TCP_LISTEN && out != Mechanism.TCP_CONNECT) {
      return Future.succeededFuture();
    }
    return ctx.blocking("listen", () -> {
      if (in == Mechanism.TCP_LISTEN) {
        inServer = BlockingSockets.listen(ctx.env().host());
        inParent = parent(ctx, inServer, "input");
        ctx.listenInput(new Endpoint(BlockingSockets.address(inServer), inParent.address()));
      }
      if (out == Mechanism.TCP_CONNECT) {
        outServer = BlockingSockets.listen(ctx.env().host());
        outParent = parent(ctx, outServer, "output");
        ctx.listenOutput(new Endpoint(BlockingSockets.address(outServer), outParent.address()));
      }
      return null;
    });
  }

  private static ParentSocket parent(ElementContext ctx, ServerSocketChannel server, String side) throws Exception {
    String description = "tcp " + BlockingSockets.address(server);
    return await(ctx.sockets().listen(description, "transfer " + ctx.transferId() + " / " + ctx.name() + " " + side));
  }

  /** On the glue's thread: accepts or connects every TCP side. */
  void open(ElementContext ctx) throws Exception {
    if (in == Mechanism.TCP_LISTEN) {
      // between two glues the connecting side registers, from its own node, as the listener's child
      input = BlockingSockets.acceptOne(inServer);
    } else if (in == Mechanism.TCP_CONNECT) {
      Endpoint peer = await(ctx.inputPeer());
      input = BlockingSockets.connect(peer.address());
      inChild = peer.parent() == null ? null : child(ctx, peer.parent(), input, false);
    }
    if (out == Mechanism.TCP_LISTEN) {
      Endpoint peer = await(ctx.outputPeer());
      output = BlockingSockets.connect(peer.address());
      outChild = peer.parent() == null ? null : child(ctx, peer.parent(), output, false);
    } else if (out == Mechanism.TCP_CONNECT) {
      output = BlockingSockets.acceptOne(outServer);
    }
  }

  private static ChildSocket child(ElementContext ctx, String parent, SocketChannel socket, boolean accepted)
    throws IOException {
    String description = "tcp " + local(socket) + (accepted ? " <- " : " -> ") + remote(socket);
    return ChildSocket.open(ctx.vertx(), parent, ctx.env().nodeId(), description,
      ChildSocket.endOnly(reason -> BlockingSockets.abort(socket)));
  }

  private static String local(SocketChannel s) throws IOException {
    InetSocketAddress a = (InetSocketAddress) s.getLocalAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private static String remote(SocketChannel s) throws IOException {
    InetSocketAddress a = (InetSocketAddress) s.getRemoteAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** After the last byte: closes cleanly (outputs were already shut down). */
  void close() {
    BlockingSockets.closeQuietly(input);
    BlockingSockets.closeQuietly(output);
    finish(false);
  }

  /** On cancel or failure: resets every connection, so no peer mistakes it for a clean end. */
  void abort() {
    BlockingSockets.abort(input);
    BlockingSockets.abort(output);
    finish(true);
  }

  private void finish(boolean aborted) {
    BlockingSockets.closeQuietly(inServer);
    BlockingSockets.closeQuietly(outServer);
    for (ChildSocket c : new ChildSocket[]{inChild, outChild}) {
      if (c != null) {
        c.closed();
      }
    }
    for (ParentSocket p : new ParentSocket[]{inParent, outParent}) {
      if (p != null) {
        p.close(aborted ? "the transfer failed or was cancelled" : "the glue is done", aborted);
      }
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the peer's endpoint did not arrive within 30 s");
    }
  }

  static SocketAddress address(Endpoint e) {
    return e.address();
  }
}
