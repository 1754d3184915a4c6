package io.xfernode.pool.wire;

import io.netty.buffer.ByteBuf;

/**
 * Payload bytes of a DATA frame, as they came off the socket: a slice of the buffer the socket was read
 * into, never a copy. A DATA frame arrives as one piece or several. Whoever takes a piece releases
 * {@link #bytes()}.
 *
 * @param offset where the first byte belongs in the whole transfer
 */
public record DataPiece(int channel, long offset, ByteBuf bytes) {

  public int length() {
    return bytes.readableBytes();
  }
}
