package io.xfernode.pool.wire;

import io.vertx.core.buffer.Buffer;

/**
 * One frame of the pool protocol, version {@value #VERSION} (docs/PROTOCOL.md). A connection opens with
 * HELLO and WELCOME or REFUSE; then channels, one per transfer stream, open with DATA_START and DATA_YES
 * or DATA_NO, carry DATA and CREDIT, and end with EOF and EOF_ACK, or ABORT.
 */
public sealed interface Frame {

  int VERSION = 1;

  /** The frame type byte on the wire. */
  int type();

  /** Appends the frame's fields (after the type byte) to {@code b}. */
  void writeBody(Buffer b);

  /** The channel the frame belongs to; 0 for the connection's own frames. */
  default int channel() {
    return 0;
  }

  /** The connecting side names the pool and itself. */
  record Hello(int version, String pool, String node) implements Frame {
    public static final int TYPE = 0x01;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b.appendUnsignedShort(version), pool);
      FrameCodec.string(b, node);
    }
  }

  /** The accepting side takes the connection into the pool. */
  record Welcome(String node) implements Frame {
    public static final int TYPE = 0x02;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b, node);
    }
  }

  /** The accepting side refuses the connection, then closes it. */
  record Refuse(String reason) implements Frame {
    public static final int TYPE = 0x03;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b, reason);
    }
  }

  /**
   * Opens {@code channel} for stream {@code stream} of {@code streams} of a transfer: the opener sends, from
   * byte {@code offset}; {@code token} is the transfer's 128-bit token, issued by its controller.
   */
  record DataStart(int channel, String transfer, int stream, int streams, byte[] token, long offset)
    implements Frame {
    public static final int TYPE = 0x10;
    public static final int TOKEN_BYTES = 16;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      if (token.length != TOKEN_BYTES) {
        throw new IllegalArgumentException("a token has " + TOKEN_BYTES + " bytes");
      }
      FrameCodec.string(b.appendInt(channel), transfer).appendUnsignedShort(stream).appendUnsignedShort(streams)
        .appendBytes(token).appendLong(offset);
    }
  }

  /** The receiver accepts the channel and grants {@code credit} bytes. */
  record DataYes(int channel, int credit) implements Frame {
    public static final int TYPE = 0x11;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      b.appendInt(channel).appendInt(credit);
    }
  }

  /** The receiver refuses the channel. */
  record DataNo(int channel, String reason) implements Frame {
    public static final int TYPE = 0x12;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b.appendInt(channel), reason);
    }
  }

  /** Bytes of the transfer, starting at byte {@code offset} of the whole transfer. */
  record Data(int channel, long offset, Buffer payload) implements Frame {
    public static final int TYPE = 0x13;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      b.appendInt(channel).appendLong(offset).appendBuffer(payload);
    }
  }

  /** The receiver grants {@code bytes} more. */
  record Credit(int channel, int bytes) implements Frame {
    public static final int TYPE = 0x14;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      b.appendInt(channel).appendInt(bytes);
    }
  }

  /** The sender is done: the transfer has {@code total} bytes; {@code checksum} is "" or "algorithm:hex". */
  record Eof(int channel, long total, String checksum) implements Frame {
    public static final int TYPE = 0x15;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b.appendInt(channel).appendLong(total), checksum);
    }
  }

  /** The receiver holds every byte up to {@code total}. */
  record EofAck(int channel, long total) implements Frame {
    public static final int TYPE = 0x16;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      b.appendInt(channel).appendLong(total);
    }
  }

  /** Either side ends the channel abnormally; the connection stays up. */
  record Abort(int channel, String reason) implements Frame {
    public static final int TYPE = 0x17;

    public int type() {
      return TYPE;
    }

    public void writeBody(Buffer b) {
      FrameCodec.string(b.appendInt(channel), reason);
    }
  }
}
