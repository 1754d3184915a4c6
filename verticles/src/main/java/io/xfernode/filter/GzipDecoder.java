package io.xfernode.filter;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.link.Buffers;
import io.xfernode.link.PullSource;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses a pulled gzip stream (RFC 1952), buffer by buffer, member after member like {@code gunzip}:
 * it parses each header itself and checks each trailer's CRC-32 and size. Anything that is not gzip fails
 * with 400, including data after the last member. Not thread-safe: one puller at a time.
 */
final class GzipDecoder {

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xe0;

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final int outSize;
  private ByteBuffer current;
  private boolean inputEnded;
  private boolean inMember;
  private boolean ended;
  private int members;
  private long memberSize;

  /** @param outSize the size of the buffers it returns */
  GzipDecoder(int outSize) {
    this.outSize = Math.max(64, outSize);
  }

  /** @return the next decompressed bytes, or {@code null} after the last member */
  Buffer next(PullSource in) throws Exception {
    while (!ended) {
      if (!inMember) {
        if (!header(in)) {
          ended = true;
          inflater.end();
          return null;
        }
        inMember = true;
        continue;
      }
      byte[] out = new byte[outSize];
      int n = inflate(in, out);
      if (n > 0) {
        return Buffers.wrap(out, n);
      }
    }
    return null;
  }

  /** Inflates into {@code out} until it is full or the member ends (then reads the trailer). */
  private int inflate(PullSource in, byte[] out) throws Exception {
    int n = 0;
    while (n < out.length) {
      if (inflater.needsInput()) {
        ByteBuffer bytes = input(in);
        if (bytes == null) {
          throw corrupt("it ends inside member " + members + " (truncated)");
        }
        inflater.setInput(bytes);
      }
      int k;
      try {
        k = inflater.inflate(out, n, out.length - n);
      } catch (DataFormatException e) {
        throw notGzip("invalid compressed data in member " + members + " (" + e.getMessage() + ")");
      }
      crc.update(out, n, k);
      memberSize += k;
      n += k;
      if (inflater.finished()) {
        trailer(in);
        inMember = false;
        break;
      }
      if (k == 0 && inflater.needsDictionary()) {
        throw notGzip("member " + members + " asks for a preset dictionary");
      }
    }
    return n;
  }

  /** @return whether a member starts here; {@code false} at the clean end of the input after a member */
  private boolean header(PullSource in) throws Exception {
    int id1 = read(in);
    if (id1 < 0) {
      if (members == 0) {
        throw notGzip("it is empty");
      }
      return false;
    }
    int id2 = read(in);
    if (id1 != 0x1f || id2 != 0x8b) {
      throw notGzip(members == 0 ? "it does not start with the gzip magic bytes 1f 8b"
        : "the data after member " + members + " does not start with the gzip magic bytes 1f 8b");
    }
    members++;
    int method = required(in);
    int flags = required(in);
    if (method != 8) {
      throw notGzip("member " + members + " uses compression method " + method + ", not deflate (8)");
    }
    if ((flags & RESERVED) != 0) {
      throw notGzip("member " + members + " sets reserved header flags");
    }
    skip(in, 6); // modification time, extra flags, operating system
    if ((flags & FEXTRA) != 0) {
      skip(in, required(in) | required(in) << 8);
    }
    if ((flags & FNAME) != 0) {
      skipString(in);
    }
    if ((flags & FCOMMENT) != 0) {
      skipString(in);
    }
    if ((flags & FHCRC) != 0) {
      skip(in, 2);
    }
    inflater.reset();
    crc.reset();
    memberSize = 0;
    return true;
  }

  private void trailer(PullSource in) throws Exception {
    long expectedCrc = readIntLe(in);
    long expectedSize = readIntLe(in);
    if (expectedCrc != crc.getValue()) {
      throw corrupt("member " + members + " fails its CRC-32 check");
    }
    if (expectedSize != (memberSize & 0xffffffffL)) {
      throw corrupt("member " + members + " holds " + memberSize + " bytes, but its trailer says " + expectedSize);
    }
  }

  private long readIntLe(PullSource in) throws Exception {
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v |= (long) required(in) << (8 * i);
    }
    return v;
  }

  private void skip(PullSource in, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      required(in);
    }
  }

  private void skipString(PullSource in) throws Exception {
    while (required(in) != 0) {
      // a zero-terminated file name or comment: not used
    }
  }

  private int required(PullSource in) throws Exception {
    int b = read(in);
    if (b < 0) {
      throw corrupt("it ends inside the header or trailer of member " + members + " (truncated)");
    }
    return b;
  }

  private int read(PullSource in) throws Exception {
    ByteBuffer bytes = input(in);
    return bytes == null ? -1 : bytes.get() & 0xff;
  }

  /** @return the current input with bytes remaining, pulling as needed; {@code null} at the end */
  private ByteBuffer input(PullSource in) throws Exception {
    while (current == null || !current.hasRemaining()) {
      if (inputEnded) {
        return null;
      }
      Buffer b = in.pull();
      if (b == null) {
        inputEnded = true;
        current = null;
        return null;
      }
      current = Buffers.nio(b);
    }
    return current;
  }

  private static XferException notGzip(String why) {
    return new XferException(ErrorCode.BAD_REQUEST, "the input is not gzip data: " + why);
  }

  private static XferException corrupt(String why) {
    return new XferException(ErrorCode.BAD_REQUEST, "the input is corrupt gzip data: " + why);
  }

  /** Frees the inflater's native memory; safe to call more than once, from any thread. */
  void close() {
    inflater.end();
  }
}
