package io.xfernode.node.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Stands in front of the stock TCP event-bus bridge and hands it whole, well-formed frames only
 * (a 4-byte big-endian length, then that many bytes of JSON).
 * <ul>
 *   <li>A frame that declares more than the limit is answered with an {@code err} frame that names the
 *   limit (it has no address: the frame is never read) and closes its connection before anything is
 *   buffered: the stock bridge would otherwise buffer whatever length a client declares, and skipping the
 *   frame would mean reading it.</li>
 *   <li>A frame whose JSON is malformed, or whose fields have the wrong types, or that {@link FrameGate}
 *   refuses (a missing or unknown token, a role that does not allow it), is answered with an {@code err}
 *   frame (the code and a message naming the field) and dropped; the connection stays open, since the
 *   length prefix keeps the stream in step. An admitted frame goes on with its caller stamped.</li>
 * </ul>
 */
final class FrameGuard extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(FrameGuard.class);

  private final int maxFrameBytes;
  private final FrameGate gate;
  private boolean closed;

  FrameGuard(int maxFrameBytes, FrameGate gate) {
    this.maxFrameBytes = maxFrameBytes;
    this.gate = gate;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (closed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 4) {
      return;
    }
    long length = in.getUnsignedInt(in.readerIndex());
    if (length > maxFrameBytes) {
      closed = true;
      log.warn("bridge: closing {}: a frame declares {} bytes, above limits.maxRequestBytes ({})",
        ctx.channel().remoteAddress(), length, maxFrameBytes);
      in.skipBytes(in.readableBytes());
      ctx.writeAndFlush(frame(ctx, gate.tooLargeRefusal())).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    FrameGate.Verdict verdict = gate.check(in.slice(in.readerIndex() + 4, (int) length));
    in.skipBytes(4 + (int) length);
    if (verdict.pass() != null) {
      out.add(frame(ctx, verdict.pass()));
      return;
    }
    log.debug("bridge: refused a frame from {}: {}", ctx.channel().remoteAddress(), verdict.refusal().getString("message"));
    ctx.writeAndFlush(frame(ctx, verdict.refusal()));
  }

  /**
   * A client that drops its connection (a reset) is no error of the node's: the stock bridge would log it
   * at ERROR with a stack trace. Anything else goes on to it.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      log.debug("bridge: {} went away: {}", ctx.channel().remoteAddress(), cause.toString());
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  private static ByteBuf frame(ChannelHandlerContext ctx, JsonObject frame) {
    byte[] json = frame.encode().getBytes(StandardCharsets.UTF_8);
    return ctx.alloc().buffer(4 + json.length).writeInt(json.length).writeBytes(json);
  }
}
