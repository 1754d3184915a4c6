package io.xfernode.pool;

import io.netty.buffer.ByteBuf;

/**
 * Bytes a sender has to send: {@code length} bytes at {@code offset} of the transfer, either in
 * {@code data} (a buffer, from a PUSH input) or in the input's file (then {@code data} is null).
 */
record Piece(long offset, int length, ByteBuf data) {

  long end() {
    return offset + length;
  }

  /** The first {@code n} bytes; the data (if any) is a retained slice. */
  Piece head(int n) {
    return new Piece(offset, n, data == null ? null : data.retainedSlice(data.readerIndex(), n));
  }

  /** What is left after the first {@code n} bytes; takes over this piece's reference. */
  Piece tail(int n) {
    if (data != null) {
      data.skipBytes(n);
    }
    return new Piece(offset + n, length - n, data);
  }

  void release() {
    if (data != null) {
      data.release();
    }
  }
}
