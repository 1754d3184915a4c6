package io.xfernode.link;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.nio.ByteBuffer;

/** Moving between Vert.x buffers and {@code java.nio} without copying bytes. */
public final class Buffers {

  private Buffers() {
  }

  /** Wraps the first {@code length} bytes of {@code bytes}; the array must not change afterwards. */
  public static Buffer wrap(byte[] bytes, int length) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes, 0, length));
  }

  /** Wraps the remaining bytes of {@code nio}; it must not change afterwards. */
  public static Buffer wrap(ByteBuffer nio) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(nio));
  }

  /** A read-only view of the buffer's bytes, for writing to a channel. */
  public static ByteBuffer nio(Buffer buffer) {
    if (buffer instanceof BufferInternal) {
      return ((BufferInternal) buffer).getByteBuf().nioBuffer();
    }
    return ByteBuffer.wrap(buffer.getBytes());
  }
}
