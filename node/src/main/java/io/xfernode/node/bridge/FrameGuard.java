package io.xfernode.node.bridge;

import io.netty.buffer.ByteBuf;
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
 *   <li>A frame that declares more than the limit closes its connection before anything is buffered:
 *   the stock bridge would otherwise buffer whatever length a client declares.</li>
 *   <li>A frame whose JSON is malformed, or whose fields have the wrong types, is answered with an
 *   {@code err} frame (failure code 400 and a message naming the field) and dropped; the connection
 *   stays open, since the length prefix keeps the stream in step.</li>
 * </ul>
 */
final class FrameGuard extends ByteToMessageDecoder {

  private static final Logger log = LoggerFactory.getLogger(FrameGuard.class);

  private final int maxFrameBytes;
  private boolean closed;

  FrameGuard(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
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
      ctx.close();
      return;
    }
    if (in.readableBytes() < 4 + length) {
      return;
    }
    String problem = FrameCheck.problem(in.slice(in.readerIndex() + 4, (int) length));
    if (problem == null) {
      out.add(in.readRetainedSlice(4 + (int) length));
      return;
    }
    in.skipBytes(4 + (int) length);
    log.debug("bridge: refused a frame from {}: {}", ctx.channel().remoteAddress(), problem);
    ctx.writeAndFlush(errFrame(ctx, problem));
  }

  private static ByteBuf errFrame(ChannelHandlerContext ctx, String message) {
    byte[] json = new JsonObject().put("type", "err").put("failureCode", 400).put("message", message)
      .encode().getBytes(StandardCharsets.UTF_8);
    return ctx.alloc().buffer(4 + json.length).writeInt(json.length).writeBytes(json);
  }
}
