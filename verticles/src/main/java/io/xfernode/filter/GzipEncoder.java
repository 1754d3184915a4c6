package io.xfernode.filter;

import io.vertx.core.buffer.Buffer;
import io.xfernode.link.Buffers;
import io.xfernode.link.PullSource;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Compresses a pulled stream into one gzip member (RFC 1952), buffer by buffer: it holds one input buffer,
 * the deflater's window and one output buffer, whatever the stream's size. Not thread-safe: one puller at
 * a time.
 */
final class GzipEncoder {

  private static final int HEADER_SIZE = 10;
  private static final int TRAILER_SIZE = 8;
  private static final byte OS_UNKNOWN = (byte) 255;

  private final Deflater deflater;
  private final CRC32 crc = new CRC32();
  private final int level;
  private final int outSize;
  private boolean headerWritten;
  private boolean inputEnded;
  private boolean trailerWritten;
  private long inputBytes;

  /** @param outSize the size of the buffers it returns, at least 64 bytes */
  GzipEncoder(int level, int outSize) {
    this.deflater = new Deflater(level, true);
    this.level = level;
    this.outSize = Math.max(64, outSize);
  }

  /** @return the next compressed bytes, or {@code null} once the trailer has been returned */
  Buffer next(PullSource in) throws Exception {
    if (trailerWritten) {
      return null;
    }
    if (deflater.finished()) {
      // the last call had no room left for the trailer
      return Buffers.wrap(end(new byte[TRAILER_SIZE], 0), TRAILER_SIZE);
    }
    byte[] out = new byte[outSize];
    int n = 0;
    if (!headerWritten) {
      n = header(out);
      headerWritten = true;
    }
    while (n < out.length && !deflater.finished()) {
      if (deflater.needsInput() && !inputEnded) {
        feed(in.pull());
        continue;
      }
      n += deflater.deflate(out, n, out.length - n, Deflater.NO_FLUSH);
    }
    if (deflater.finished() && out.length - n >= TRAILER_SIZE) {
      end(out, n);
      n += TRAILER_SIZE;
    }
    return Buffers.wrap(out, n);
  }

  private void feed(Buffer buffer) {
    if (buffer == null) {
      inputEnded = true;
      deflater.finish();
      return;
    }
    ByteBuffer bytes = Buffers.nio(buffer);
    crc.update(bytes.duplicate());
    inputBytes += bytes.remaining();
    deflater.setInput(bytes);
  }

  private int header(byte[] out) {
    out[0] = 0x1f;
    out[1] = (byte) 0x8b;
    out[2] = Deflater.DEFLATED;
    // flags and modification time stay 0: a stream has no file name and no time
    out[8] = (byte) (level == Deflater.BEST_COMPRESSION ? 2 : level == Deflater.BEST_SPEED ? 4 : 0);
    out[9] = OS_UNKNOWN;
    return HEADER_SIZE;
  }

  /** Writes the trailer at {@code at} and frees the deflater. */
  private byte[] end(byte[] out, int at) {
    putIntLe(out, at, crc.getValue());
    putIntLe(out, at + 4, inputBytes);
    trailerWritten = true;
    deflater.end();
    return out;
  }

  private static void putIntLe(byte[] out, int at, long value) {
    for (int i = 0; i < 4; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
  }

  /** Frees the deflater's native memory; safe to call more than once, from any thread. */
  void close() {
    deflater.end();
  }
}
