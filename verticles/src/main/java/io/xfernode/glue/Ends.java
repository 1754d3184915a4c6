package io.xfernode.glue;

import io.vertx.core.buffer.Buffer;
import io.xfernode.element.ElementContext;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.PullSource;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/** The ends a blocking glue loop reads from and writes to, one per mechanism. */
final class Ends {

  private Ends() {
  }

  static PullSource pushInput(ElementContext ctx) {
    return ctx::takeInput;
  }

  static PullSource channelInput(ElementContext ctx) throws IOException {
    return Copy.reader(ctx.inputChannel(), ctx.env().chunkSize());
  }

  static PullSource socketInput(SocketChannel socket, ElementContext ctx) throws IOException {
    return Copy.reader(ChannelOffer.of(socket), ctx.env().chunkSize());
  }

  static ByteSink pushOutput(ElementContext ctx) {
    return new ByteSink() {
      @Override
      public void write(Buffer buffer) throws InterruptedException {
        ctx.putOutput(buffer);
      }

      @Override
      public void finish() {
        ctx.endOutput();
      }
    };
  }

  static ByteSink channelOutput(ElementContext ctx) {
    return Copy.writer((java.nio.channels.WritableByteChannel) ctx.outputChannel().channel());
  }

  /** Writes to a socket; at the end shuts its output down, so the peer reads a clean end of stream. */
  static ByteSink socketOutput(SocketChannel socket) {
    ByteSink raw = Copy.writer(socket);
    return new ByteSink() {
      @Override
      public void write(Buffer buffer) throws Exception {
        raw.write(buffer);
      }

      @Override
      public void finish() throws IOException {
        socket.shutdownOutput();
      }
    };
  }

  /** Sends a file's bytes into a socket without copying them through the JVM, then ends the output. */
  static long fileToSocket(ElementContext ctx, SocketChannel socket) throws Exception {
    ChannelOffer in = ctx.inputChannel();
    if (!in.isFile()) {
      return Copy.loop(channelInput(ctx), socketOutput(socket), ctx);
    }
    long n = Copy.transferTo(in, socket, ctx);
    socket.shutdownOutput();
    return n;
  }

  /** Receives a socket's bytes into the downstream's channel; into a file through one large direct buffer. */
  static long socketToChannel(ElementContext ctx, SocketChannel socket) throws Exception {
    ChannelOffer out = ctx.outputChannel();
    if (out.isFile()) {
      return Copy.transferFrom(socket, (java.nio.channels.FileChannel) out.channel(), ctx);
    }
    return Copy.loop(socketInput(socket, ctx), channelOutput(ctx), ctx);
  }
}
