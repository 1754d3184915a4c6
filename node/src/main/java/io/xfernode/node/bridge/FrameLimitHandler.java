package io.xfernode.node.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the frames of the TCP event-bus bridge (a 4-byte big-endian length, then that many bytes) as
 * they pass, without changing them, and closes the connection at the first frame whose declared length is
 * negative or above the limit. The stock bridge would otherwise buffer whatever length a client declares.
 */
final class FrameLimitHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(FrameLimitHandler.class);

  private final int maxFrameBytes;
  private final byte[] header = new byte[4];
  private int headerRead;
  private long bodyRemaining;
  private boolean closed;

  FrameLimitHandler(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closed) {
      release(msg);
      return;
    }
    if (msg instanceof ByteBuf) {
      ByteBuf buf = (ByteBuf) msg;
      int index = buf.readerIndex();
      int end = buf.writerIndex();
      while (index < end) {
        if (bodyRemaining > 0) {
          int skip = (int) Math.min(bodyRemaining, end - index);
          bodyRemaining -= skip;
          index += skip;
          continue;
        }
        header[headerRead++] = buf.getByte(index++);
        if (headerRead == 4) {
          headerRead = 0;
          int length = ((header[0] & 0xff) << 24) | ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8)
            | (header[3] & 0xff);
          if (length < 0 || length > maxFrameBytes) {
            closed = true;
            log.warn("bridge: closing {}: a frame declares {} bytes, above limits.maxRequestBytes ({})",
              ctx.channel().remoteAddress(), Integer.toUnsignedLong(length), maxFrameBytes);
            buf.release();
            ctx.close();
            return;
          }
          bodyRemaining = length;
        }
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static void release(Object msg) {
    if (msg instanceof ByteBuf) {
      ((ByteBuf) msg).release();
    }
  }
}
