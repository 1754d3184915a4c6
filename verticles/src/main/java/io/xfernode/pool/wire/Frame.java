package io.xfernode.pool.wire;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;

/**
 * One frame of the pool protocol, version {@value #VERSION} (docs/PROTOCOL.md). A connection opens with
 * HELLO, WELCOME and PROOF (each side proves it is the cluster member it names), or REFUSE; then channels,
 * one per stream of a transfer, open with DATA_START and DATA_YES (which says what the receiver holds
 * already) or DATA_NO, carry DATA and CREDIT, and end with EOF and EOF_ACK, or ABORT.
 *
 * <p>DATA has no record here: its header is written by {@link FrameCodec#dataHeader} before a payload
 * that goes to the socket as it is, and it is read as {@link DataPiece}s.
 */
public sealed interface Frame {

  int VERSION = 2;

  /** Random bytes each side of a handshake contributes. */
  int NONCE_BYTES = 16;
  /** An HMAC-SHA256. */
  int MAC_BYTES = 32;
  /** A transfer's token: 128 random bits issued by its controller. */
  int TOKEN_BYTES = 16;
  /** A total or an offset that is not known yet. */
  long UNKNOWN = -1;

  /** The frame type byte on the wire. */
  int type();

  /** Appends the frame's fields (after the type byte) to {@code b}. */
  void writeBody(ByteBuf b);

  /** The channel the frame belongs to; 0 for the connection's own frames. */
  default int channel() {
    return 0;
  }

  /** The connecting side names the pool, itself, and a challenge for the accepting side. */
  record Hello(int version, String pool, String node, byte[] nonce) implements Frame {
    public static final int TYPE = 0x01;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeShort(version);
      FrameCodec.string(b, pool);
      FrameCodec.string(b, node);
      FrameCodec.bytes(b, nonce, NONCE_BYTES);
    }
  }

  /**
   * The accepting side names itself, proves it ({@code mac} over the handshake with its key) and sets a
   * challenge of its own.
   */
  record Welcome(String node, byte[] nonce, byte[] mac) implements Frame {
    public static final int TYPE = 0x02;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      FrameCodec.string(b, node);
      FrameCodec.bytes(b, nonce, NONCE_BYTES);
      FrameCodec.bytes(b, mac, MAC_BYTES);
    }
  }

  /** Either side refuses the connection, then closes it. */
  record Refuse(String reason) implements Frame {
    public static final int TYPE = 0x03;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      FrameCodec.string(b, reason);
    }
  }

  /** The connecting side proves it is the node it named: {@code mac} over the handshake with its key. */
  record Proof(byte[] mac) implements Frame {
    public static final int TYPE = 0x04;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      FrameCodec.bytes(b, mac, MAC_BYTES);
    }
  }

  /**
   * Opens {@code channel} for stream {@code stream} of {@code streams} of a transfer; the opener sends.
   * {@code total} is the transfer's length, or {@link #UNKNOWN}; {@code source} identifies the bytes (a
   * file's size and modification time), so that a receiver holding bytes of an earlier attempt knows
   * whether they are the same, or is empty.
   */
  record DataStart(int channel, String transfer, int stream, int streams, byte[] token, long total, String source)
    implements Frame {
    public static final int TYPE = 0x10;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel);
      FrameCodec.string(b, transfer);
      b.writeShort(stream).writeShort(streams);
      FrameCodec.bytes(b, token, TOKEN_BYTES);
      b.writeLong(total);
      FrameCodec.string(b, source);
    }
  }

  /**
   * The receiver accepts the channel, grants {@code credit} bytes, and lists the byte ranges it holds
   * already ({@code [start, end)} pairs, sorted, disjoint), which the sender skips.
   */
  record DataYes(int channel, int credit, long[] held) implements Frame {
    public static final int TYPE = 0x11;
    /** The most ranges a DATA_YES lists. */
    public static final int MAX_RANGES = 1024;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeInt(credit).writeShort(held.length / 2);
      for (long v : held) {
        b.writeLong(v);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof DataYes y && y.channel == channel && y.credit == credit && Arrays.equals(y.held, held);
    }

    @Override
    public int hashCode() {
      return channel * 31 + credit;
    }
  }

  /** The receiver refuses the channel, with an error code of the public API (503, 409, …). */
  record DataNo(int channel, int code, String reason) implements Frame {
    public static final int TYPE = 0x12;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeShort(code);
      FrameCodec.string(b, reason);
    }
  }

  /** The receiver grants {@code bytes} more. */
  record Credit(int channel, int bytes) implements Frame {
    public static final int TYPE = 0x14;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeInt(bytes);
    }
  }

  /** The sender is done: the transfer has {@code total} bytes; {@code checksum} is "" or "algorithm:hex". */
  record Eof(int channel, long total, String checksum) implements Frame {
    public static final int TYPE = 0x15;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeLong(total);
      FrameCodec.string(b, checksum);
    }
  }

  /** The receiver holds every byte up to {@code total}, and they match the checksum when one was sent. */
  record EofAck(int channel, long total) implements Frame {
    public static final int TYPE = 0x16;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeLong(total);
    }
  }

  /** Either side ends the channel abnormally, with an error code of the public API; the connection stays up. */
  record Abort(int channel, int code, String reason) implements Frame {
    public static final int TYPE = 0x17;

    public int type() {
      return TYPE;
    }

    public void writeBody(ByteBuf b) {
      b.writeInt(channel).writeShort(code);
      FrameCodec.string(b, reason);
    }
  }
}
