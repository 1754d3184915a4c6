package io.xfernode.pool.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts a connection's bytes into frames, in the connection's Netty pipeline. A control frame is decoded
 * whole (it is small); a DATA frame's payload is handed on as {@link DataPiece}s as soon as its bytes are
 * read, each a slice of the buffer the socket was read into: no payload byte is copied or held back.
 *
 * <p>A length of 0, or above the limit of its type, is refused before anything is buffered. After a
 * {@link ProtocolException} the decoder emits it once and drops everything after it, since the stream is
 * out of step; the connection then closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

  private static final int HEADER = 4 + 1;

  private int channel;
  private long offset;
  /** Payload bytes of the current DATA frame still to come; 0 between frames. */
  private int remaining;
  private boolean failed;

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      while (in.isReadable()) {
        if (remaining > 0) {
          int n = Math.min(remaining, in.readableBytes());
          out.add(new DataPiece(channel, offset, in.readRetainedSlice(n)));
          offset += n;
          remaining -= n;
          continue;
        }
        if (in.readableBytes() < HEADER) {
          return;
        }
        int at = in.readerIndex();
        long length = in.getUnsignedInt(at);
        int type = in.getUnsignedByte(at + 4);
        if (type == FrameCodec.DATA) {
          if (length <= 13 || length > 13 + FrameCodec.MAX_PAYLOAD) {
            throw new ProtocolException("a DATA frame of " + length + " bytes (payload 1 to "
              + FrameCodec.MAX_PAYLOAD + ")");
          }
          if (in.readableBytes() < FrameCodec.DATA_HEADER) {
            return;
          }
          in.skipBytes(HEADER);
          channel = in.readInt();
          offset = in.readLong();
          if (channel == 0) {
            throw new ProtocolException("DATA on channel 0");
          }
          if (offset < 0 || offset + (length - 13) < 0) {
            throw new ProtocolException("DATA at offset " + Long.toUnsignedString(offset) + " overflows");
          }
          remaining = (int) (length - 13);
          continue;
        }
        if (length == 0 || length > FrameCodec.MAX_CONTROL) {
          throw new ProtocolException("a frame of " + length + " bytes (the limit is " + FrameCodec.MAX_CONTROL + ")");
        }
        if (in.readableBytes() < 4 + length) {
          return;
        }
        in.skipBytes(4);
        ByteBuf body = in.readSlice((int) length);
        out.add(FrameCodec.decode(body));
      }
    } catch (ProtocolException e) {
      failed = true;
      in.skipBytes(in.readableBytes());
      out.add(e);
    }
  }
}
