package io.xfernode.transport;

import io.netty.channel.ChannelOption;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/** Endings of Vert.x sockets that the public API does not offer (SPEC 1.4: abort and half-close). */
public final class NetSockets {

  private NetSockets() {
  }

  /** Closes with SO_LINGER 0: the peer sees a reset, never a clean end of stream. */
  public static void abort(NetSocket socket) {
    if (socket == null) {
      return;
    }
    if (socket instanceof NetSocketInternal) {
      io.netty.channel.Channel ch = ((NetSocketInternal) socket).channelHandlerContext().channel();
      if (ch.isOpen()) {
        ch.config().setOption(ChannelOption.SO_LINGER, 0);
        ch.close();
        return;
      }
    }
    socket.close();
  }

  /**
   * Shuts down the output only (half-close): the peer reads an end of stream, and can still send. Over
   * TLS this is the TLS close_notify, so the peer sees a proper end and not a truncation.
   */
  public static void shutdownOutput(NetSocket socket) {
    if (socket instanceof NetSocketInternal) {
      io.netty.channel.ChannelHandlerContext ctx = ((NetSocketInternal) socket).channelHandlerContext();
      io.netty.handler.ssl.SslHandler ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
      if (ssl != null) {
        ssl.closeOutbound();
        return;
      }
      io.netty.channel.Channel ch = ctx.channel();
      if (ch instanceof io.netty.channel.socket.DuplexChannel) {
        ((io.netty.channel.socket.DuplexChannel) ch).shutdownOutput();
        return;
      }
    }
    socket.end();
  }
}
