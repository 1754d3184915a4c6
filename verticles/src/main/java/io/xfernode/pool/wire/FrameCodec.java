package io.xfernode.pool.wire;

import io.vertx.core.buffer.Buffer;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes the frames of the pool protocol. On the wire a frame is a 4-byte big-endian length,
 * then that many bytes: a type byte and the type's fields, all big-endian. A string is a 2-byte length and
 * that many bytes of UTF-8. Decoding checks every field and refuses anything left over.
 */
public final class FrameCodec {

  /** The largest DATA payload a sender may put in one frame. */
  public static final int MAX_PAYLOAD = 1 << 20;
  /** The largest frame, header excluded: a full DATA frame. */
  public static final int MAX_FRAME = 1 + 4 + 8 + MAX_PAYLOAD;
  /** The longest string field, in bytes. */
  public static final int MAX_STRING = 1024;

  private FrameCodec() {
  }

  public static Buffer encode(Frame frame) {
    Buffer b = Buffer.buffer(frame instanceof Frame.Data ? 17 + ((Frame.Data) frame).payload().length() : 64);
    b.appendInt(0).appendByte((byte) frame.type());
    frame.writeBody(b);
    b.setInt(0, b.length() - 4);
    return b;
  }

  /**
   * A DATA frame's header alone (length, type, channel, offset): written before the payload, which then
   * goes to the socket as it is, without a copy.
   */
  public static Buffer dataHeader(Frame.Data data) {
    return Buffer.buffer(17).appendInt(13 + data.payload().length()).appendByte((byte) Frame.Data.TYPE)
      .appendInt(data.channel()).appendLong(data.offset());
  }

  /** Appends {@code s} as a string field: a 2-byte length, then UTF-8 (cut at {@link #MAX_STRING} bytes). */
  static Buffer string(Buffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_STRING) {
      // cut on a character boundary, so that the field stays UTF-8
      int end = MAX_STRING;
      while ((bytes[end] & 0xC0) == 0x80) {
        end--;
      }
      bytes = java.util.Arrays.copyOf(bytes, end);
    }
    return b.appendUnsignedShort(bytes.length).appendBytes(bytes);
  }

  /**
   * Decodes one frame's bytes (the type byte and its fields, without the length prefix).
   *
   * @throws ProtocolException naming what is wrong
   */
  public static Frame decode(Buffer frame) {
    Reader r = new Reader(frame);
    int type = r.u8();
    Frame f = switch (type) {
      case Frame.Hello.TYPE -> new Frame.Hello(r.u16(), r.string("pool"), r.string("node"));
      case Frame.Welcome.TYPE -> new Frame.Welcome(r.string("node"));
      case Frame.Refuse.TYPE -> new Frame.Refuse(r.string("reason"));
      case Frame.DataStart.TYPE -> dataStart(r);
      case Frame.DataYes.TYPE -> new Frame.DataYes(r.channel(), r.positive("credit"));
      case Frame.DataNo.TYPE -> new Frame.DataNo(r.channel(), r.string("reason"));
      case Frame.Data.TYPE -> data(r);
      case Frame.Credit.TYPE -> new Frame.Credit(r.channel(), r.positive("credit"));
      case Frame.Eof.TYPE -> new Frame.Eof(r.channel(), r.offset("total"), r.string("checksum"));
      case Frame.EofAck.TYPE -> new Frame.EofAck(r.channel(), r.offset("total"));
      case Frame.Abort.TYPE -> new Frame.Abort(r.channel(), r.string("reason"));
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
    return new Frame.DataStart(channel, transfer, stream, streams, r.bytes(Frame.DataStart.TOKEN_BYTES),
      r.offset("offset"));
  }

  private static Frame data(Reader r) {
    int channel = r.channel();
    long offset = r.offset("offset");
    Buffer payload = r.rest();
    if (payload.length() == 0) {
      throw new ProtocolException("DATA: no payload");
    }
    if (offset + payload.length() < 0) {
      throw new ProtocolException("DATA: offset " + offset + " + length overflows");
    }
    return new Frame.Data(channel, offset, payload);
  }

  /** Reads fields in order and fails, naming the field, when the frame is too short or a value is bad. */
  private static final class Reader {
    private final Buffer b;
    private int pos;

    Reader(Buffer b) {
      this.b = b;
    }

    private void need(int n, String what) {
      if (b.length() - pos < n) {
        throw new ProtocolException("frame ends inside " + what);
      }
    }

    int u8() {
      need(1, "the type");
      return b.getUnsignedByte(pos++);
    }

    int u16() {
      need(2, "a 2-byte field");
      int v = b.getUnsignedShort(pos);
      pos += 2;
      return v;
    }

    int channel() {
      need(4, "the channel");
      int v = b.getInt(pos);
      pos += 4;
      if (v == 0) {
        throw new ProtocolException("channel 0 is not a channel");
      }
      return v;
    }

    int positive(String what) {
      need(4, what);
      int v = b.getInt(pos);
      pos += 4;
      if (v <= 0) {
        throw new ProtocolException(what + " " + Integer.toUnsignedLong(v) + " is not positive");
      }
      return v;
    }

    long offset(String what) {
      need(8, what);
      long v = b.getLong(pos);
      pos += 8;
      if (v < 0) {
        throw new ProtocolException(what + " " + Long.toUnsignedString(v) + " is negative");
      }
      return v;
    }

    byte[] bytes(int n) {
      need(n, "the token");
      byte[] out = b.getBytes(pos, pos + n);
      pos += n;
      return out;
    }

    String string(String what) {
      int n = u16();
      if (n > MAX_STRING) {
        throw new ProtocolException(what + ": " + n + " bytes, above " + MAX_STRING);
      }
      need(n, what);
      try {
        String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b.getBytes(pos, pos + n))).toString();
        pos += n;
        return s;
      } catch (CharacterCodingException e) {
        throw new ProtocolException(what + ": not UTF-8");
      }
    }

    Buffer rest() {
      Buffer out = b.slice(pos, b.length());
      pos = b.length();
      return out;
    }

    void end(Frame f) {
      if (pos != b.length()) {
        throw new ProtocolException(f.getClass().getSimpleName() + ": " + (b.length() - pos) + " bytes left over");
      }
    }
  }
}
