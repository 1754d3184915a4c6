package io.xfernode.pool.wire;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into frames: a 4-byte big-endian length, then that many bytes. A length of 0 or above
 * {@link FrameCodec#MAX_FRAME} is refused before anything is buffered; after the first
 * {@link ProtocolException} the parser takes nothing more, since the stream is out of step. A DATA frame's
 * payload is a slice of the bytes received, not a copy.
 */
public final class FrameParser implements Handler<Buffer> {

  private final Handler<Frame> frames;
  private final Handler<ProtocolException> failure;
  private Buffer pending = Buffer.buffer();
  private int start;
  /** Whether {@code pending} is this parser's own buffer, which it may append to. */
  private boolean owned;
  private boolean failed;

  public FrameParser(Handler<Frame> frames, Handler<ProtocolException> failure) {
    this.frames = frames;
    this.failure = failure;
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    if (start == pending.length()) {
      pending = chunk;
      start = 0;
      owned = false;
    } else {
      if (!owned || start > 0) {
        // keep only the unparsed rest, in a buffer of our own; appending to it is then amortized linear
        pending = pending.getBuffer(start, pending.length());
        start = 0;
        owned = true;
      }
      pending.appendBuffer(chunk);
    }
    try {
      while (pending.length() - start >= 4) {
        long length = Integer.toUnsignedLong(pending.getInt(start));
        if (length == 0 || length > FrameCodec.MAX_FRAME) {
          throw new ProtocolException("a frame of " + length + " bytes (the limit is " + FrameCodec.MAX_FRAME + ")");
        }
        if (pending.length() - start < 4 + length) {
          break;
        }
        Frame f = FrameCodec.decode(pending.slice(start + 4, start + 4 + (int) length));
        start += 4 + (int) length;
        frames.handle(f);
      }
    } catch (ProtocolException e) {
      failed = true;
      pending = Buffer.buffer();
      start = 0;
      failure.handle(e);
    }
  }
}
