package io.xfernode.pool.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes and decodes the frames of the pool protocol. On the wire a frame is a 4-byte big-endian length,
 * then that many bytes: a type byte and the type's fields, all big-endian. A string is a 2-byte length and
 * that many bytes of UTF-8. Decoding checks every field and refuses anything left over.
 */
public final class FrameCodec {

  /** The type byte of DATA: channel u32, offset u64, then the payload. */
  public static final int DATA = 0x13;
  /** The bytes of a DATA frame before its payload, length prefix included. */
  public static final int DATA_HEADER = 4 + 1 + 4 + 8;
  /** The largest DATA payload a sender may put in one frame. */
  public static final int MAX_PAYLOAD = 1 << 20;
  /** The largest frame other than DATA, header excluded. */
  public static final int MAX_CONTROL = 64 * 1024;
  /** The longest string field, in bytes. */
  public static final int MAX_STRING = 1024;

  private FrameCodec() {
  }

  /** @return the frame with its length prefix, in a buffer of {@code alloc}'s */
  public static ByteBuf encode(Frame frame, ByteBufAllocator alloc) {
    ByteBuf b = alloc.buffer(64);
    b.writeInt(0).writeByte(frame.type());
    frame.writeBody(b);
    b.setInt(0, b.readableBytes() - 4);
    return b;
  }

  /** A DATA frame's header alone: the payload follows it as it is, a buffer or a region of a file. */
  public static ByteBuf dataHeader(ByteBufAllocator alloc, int channel, long offset, int length) {
    if (length <= 0 || length > MAX_PAYLOAD) {
      throw new IllegalArgumentException("a DATA payload has 1 to " + MAX_PAYLOAD + " bytes, not " + length);
    }
    return alloc.buffer(DATA_HEADER).writeInt(13 + length).writeByte(DATA).writeInt(channel).writeLong(offset);
  }

  /** Appends {@code s} as a string field: a 2-byte length, then UTF-8 (cut at {@link #MAX_STRING} bytes). */
  static void string(ByteBuf b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING) {
      // cut on a character boundary, so that the field stays UTF-8
      int end = MAX_STRING;
      while ((bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      bytes = Arrays.copyOf(bytes, end);
    }
    b.writeShort(bytes.length).writeBytes(bytes);
  }

  static void bytes(ByteBuf b, byte[] bytes, int length) {
    if (bytes.length != length) {
      throw new IllegalArgumentException("a field of " + length + " bytes, given " + bytes.length);
    }
    b.writeBytes(bytes);
  }

  /**
   * Decodes one frame other than DATA: its type byte and fields, without the length prefix.
   *
   * @throws ProtocolException naming what is wrong
   */
  public static Frame decode(ByteBuf frame) {
    Reader r = new Reader(frame);
    int type = r.u8();
    Frame f = switch (type) {
      case Frame.Hello.TYPE -> new Frame.Hello(r.u16(), r.string("pool"), r.string("node"),
        r.bytes(Frame.NONCE_BYTES, "nonce"));
      case Frame.Welcome.TYPE -> new Frame.Welcome(r.string("node"), r.bytes(Frame.NONCE_BYTES, "nonce"),
        r.bytes(Frame.MAC_BYTES, "mac"));
      case Frame.Refuse.TYPE -> new Frame.Refuse(r.string("reason"));
      case Frame.Proof.TYPE -> new Frame.Proof(r.bytes(Frame.MAC_BYTES, "mac"));
      case Frame.DataStart.TYPE -> dataStart(r);
      case Frame.DataYes.TYPE -> dataYes(r);
      case Frame.DataNo.TYPE -> new Frame.DataNo(r.channel(), r.code(), r.string("reason"));
      case Frame.Credit.TYPE -> new Frame.Credit(r.channel(), r.positive("credit"));
      case Frame.Eof.TYPE -> new Frame.Eof(r.channel(), r.offset("total"), r.string("checksum"));
      case Frame.EofAck.TYPE -> new Frame.EofAck(r.channel(), r.offset("total"));
      case Frame.Abort.TYPE -> new Frame.Abort(r.channel(), r.code(), r.string("reason"));
      case DATA -> throw new ProtocolException("DATA is not a control frame");
      default -> throw new ProtocolException("unknown frame type 0x" + Integer.toHexString(type));
    };
    r.end(f);
    return f;
  }

  private static Frame dataStart(Reader r) {
    int channel = r.channel();
    String transfer = r.string("transfer");
    if (transfer.isEmpty()) {
      throw new ProtocolException("DATA_START: empty transfer id");
    }
    int stream = r.u16();
    int streams = r.u16();
    if (streams == 0 || stream >= streams) {
      throw new ProtocolException("DATA_START: stream " + stream + " of " + streams);
    }
    byte[] token = r.bytes(Frame.TOKEN_BYTES, "token");
    long total = r.total();
    return new Frame.DataStart(channel, transfer, stream, streams, token, total, r.string("source"));
  }

  private static Frame dataYes(Reader r) {
    int channel = r.channel();
    int credit = r.positive("credit");
    int n = r.u16();
    if (n > Frame.DataYes.MAX_RANGES) {
      throw new ProtocolException("DATA_YES: " + n + " ranges, above " + Frame.DataYes.MAX_RANGES);
    }
    long[] held = new long[2 * n];
    long last = -1;
    for (int i = 0; i < held.length; i += 2) {
      long start = r.offset("range start");
      long end = r.offset("range end");
      if (start >= end || start <= last) {
        throw new ProtocolException("DATA_YES: ranges not sorted, disjoint and non-empty at " + start + "-" + end);
      }
      held[i] = start;
      held[i + 1] = end;
      last = end;
    }
    return new Frame.DataYes(channel, credit, held);
  }

  /** Reads fields in order and fails, naming the field, when the frame is too short or a value is bad. */
  private static final class Reader {
    private final ByteBuf b;

    Reader(ByteBuf b) {
      this.b = b;
    }

    private void need(int n, String what) {
      if (b.readableBytes() < n) {
        throw new ProtocolException("frame ends inside " + what);
      }
    }

    int u8() {
      need(1, "the type");
      return b.readUnsignedByte();
    }

    int u16() {
      need(2, "a 2-byte field");
      return b.readUnsignedShort();
    }

    int code() {
      need(2, "the code");
      int code = b.readUnsignedShort();
      if (code < 400 || code > 599) {
        throw new ProtocolException("code " + code + " is not an error code");
      }
      return code;
    }

    int channel() {
      need(4, "the channel");
      int v = b.readInt();
      if (v == 0) {
        throw new ProtocolException("channel 0 is not a channel");
      }
      return v;
    }

    int positive(String what) {
      need(4, what);
      int v = b.readInt();
      if (v <= 0) {
        throw new ProtocolException(what + " " + Integer.toUnsignedLong(v) + " is not positive");
      }
      return v;
    }

    long offset(String what) {
      need(8, what);
      long v = b.readLong();
      if (v < 0) {
        throw new ProtocolException(what + " " + Long.toUnsignedString(v) + " is negative");
      }
      return v;
    }

    /** A length, or all ones for "unknown". */
    long total() {
      need(8, "the total");
      long v = b.readLong();
      if (v < Frame.UNKNOWN) {
        throw new ProtocolException("total " + Long.toUnsignedString(v) + " is out of range");
      }
      return v;
    }

    byte[] bytes(int n, String what) {
      need(n, what);
      byte[] out = new byte[n];
      b.readBytes(out);
      return out;
    }

    String string(String what) {
      int n = u16();
      if (n > MAX_STRING) {
        throw new ProtocolException(what + ": " + n + " bytes, above " + MAX_STRING);
      }
      need(n, what);
      byte[] raw = new byte[n];
      b.readBytes(raw);
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
      } catch (CharacterCodingException e) {
        throw new ProtocolException(what + ": not UTF-8");
      }
    }

    void end(Frame f) {
      if (b.isReadable()) {
        throw new ProtocolException(f.getClass().getSimpleName() + ": " + b.readableBytes() + " bytes left over");
      }
    }
  }
}
