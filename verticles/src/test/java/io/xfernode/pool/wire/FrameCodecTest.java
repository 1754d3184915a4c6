package io.xfernode.pool.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool protocol's frames, tested without sockets as Netty tests its codecs: every frame type
 * round-trips through the encoder and the {@link FrameDecoder} however the bytes are cut, DATA payloads
 * come out as slices of what was read, and bad bytes end in one {@link ProtocolException}.
 */
class FrameCodecTest {

  private static final byte[] TOKEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xff};
  private static final byte[] NONCE = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
  private static final byte[] MAC = new byte[32];

  static {
    new Random(7).nextBytes(MAC);
  }

  static List<Frame> samples() {
    return List.of(
      new Frame.Hello(Frame.VERSION, "default", "node-a", NONCE),
      new Frame.Welcome("node-b", NONCE, MAC),
      new Frame.Refuse("unknown pool \"nope\""),
      new Frame.Proof(MAC),
      new Frame.DataStart(7, "transfer-1", 2, 4, TOKEN, 1L << 40, "file:1099511627776:1733000000000"),
      new Frame.DataStart(9, "transfer-2", 0, 1, TOKEN, Frame.UNKNOWN, ""),
      new Frame.DataYes(7, 4 << 20, new long[]{0, 100, 200, 1L << 33}),
      new Frame.DataNo(9, 403, "unknown transfer or token"),
      new Frame.Credit(7, 65_536),
      new Frame.Eof(7, 5_000_000_000L, "sha256:abcdef"),
      new Frame.EofAck(7, 5_000_000_000L),
      new Frame.Abort(7, 422, "checksum mismatch, ünïcödé"));
  }

  private static ByteBuf encode(Frame f) {
    return FrameCodec.encode(f, UnpooledByteBufAllocator.DEFAULT);
  }

  /** Frames compare by what they carry: records compare arrays by identity. */
  private static String show(Object o) {
    if (o instanceof Frame f) {
      ByteBuf b = encode(f);
      String hex = ByteBufUtil.hexDump(b);
      b.release();
      return f.getClass().getSimpleName() + ":" + hex;
    }
    if (o instanceof DataPiece p) {
      return "piece " + p.channel() + "@" + p.offset() + "+" + p.length();
    }
    return String.valueOf(o);
  }

  private static ByteBuf dataFrame(int channel, long offset, byte[] payload) {
    ByteBuf header = FrameCodec.dataHeader(UnpooledByteBufAllocator.DEFAULT, channel, offset, payload.length);
    return Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(payload));
  }

  @Test
  void every_frame_type_round_trips_however_the_bytes_are_cut() {
    byte[] payload = new byte[70_001];
    new Random(42).nextBytes(payload);
    ByteBuf all = Unpooled.buffer();
    for (Frame f : samples()) {
      ByteBuf b = encode(f);
      assertThat(b.getInt(0)).as("length prefix of %s", f.getClass().getSimpleName()).isEqualTo(b.readableBytes() - 4);
      all.writeBytes(b);
      b.release();
    }
    ByteBuf frame = dataFrame(7, 123_456_789_012L, payload);
    all.writeBytes(frame);
    frame.release();
    byte[] wire = ByteBufUtil.getBytes(all);
    for (int chunk : new int[]{1, 3, 5, 17, 4096, wire.length}) {
      EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
      for (int i = 0; i < wire.length; i += chunk) {
        ch.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(chunk, wire.length - i)));
      }
      List<String> frames = new ArrayList<>();
      ByteBuf got = Unpooled.buffer();
      long expectOffset = 123_456_789_012L;
      Object o;
      while ((o = ch.readInbound()) != null) {
        if (o instanceof DataPiece p) {
          assertThat(p.offset()).as("offset of a piece, cut every %d bytes", chunk).isEqualTo(expectOffset);
          expectOffset += p.length();
          got.writeBytes(p.bytes());
          p.bytes().release();
        } else {
          frames.add(show(o));
        }
      }
      assertThat(frames).as("cut every %d bytes", chunk)
        .containsExactlyElementsOf(samples().stream().map(FrameCodecTest::show).toList());
      assertThat(ByteBufUtil.getBytes(got)).as("the payload, cut every %d bytes", chunk).isEqualTo(payload);
      assertThat(ch.finishAndReleaseAll()).isFalse();
    }
  }

  @Test
  void a_payload_comes_out_as_a_slice_of_the_buffer_it_was_read_into() {
    byte[] payload = new byte[256 * 1024];
    new Random(3).nextBytes(payload);
    ByteBuf read = Unpooled.directBuffer();
    ByteBuf frame = dataFrame(5, 0, payload);
    read.writeBytes(frame);
    frame.release();
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    ch.writeInbound(read);
    DataPiece piece = ch.readInbound();
    assertThat(piece.length()).isEqualTo(payload.length);
    assertThat(piece.bytes().memoryAddress()).as("the payload's first byte, where the socket put it")
      .isEqualTo(read.memoryAddress() + FrameCodec.DATA_HEADER);
    assertThat(ByteBufUtil.getBytes(piece.bytes())).isEqualTo(payload);
    piece.bytes().release();
    assertThat(read.refCnt()).as("released once the piece is").isZero();
  }

  @Test
  void bad_frames_end_in_one_protocol_exception_naming_what_is_wrong() {
    assertRefused(control(0x7f), "unknown frame type 0x7f");
    assertRefused(control(Frame.Credit.TYPE, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff), "credit 4294967295 is not positive");
    assertRefused(control(Frame.Credit.TYPE, 0, 0, 0, 0, 0, 0, 0, 1), "channel 0 is not a channel");
    assertRefused(control(Frame.EofAck.TYPE, 0, 0, 0, 1, 0xff, 0, 0, 0, 0, 0, 0, 0), "total 18374686479671623680 is negative");
    assertRefused(control(Frame.Abort.TYPE, 0, 0, 0, 1, 0, 200, 0, 0), "code 200 is not an error code");
    assertRefused(control(Frame.Refuse.TYPE, 0, 2, 0xc3, 0x28), "reason: not UTF-8");
    assertRefused(control(Frame.Credit.TYPE, 0, 0, 0, 1, 0, 0, 0, 1, 9), "Credit: 1 bytes left over");
    assertRefused(control(Frame.DataYes.TYPE, 0, 0, 0, 1, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0,
      0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2), "DATA_YES: ranges not sorted");
    assertRefused(Unpooled.buffer().writeInt(0).writeByte(1), "a frame of 0 bytes");
    assertRefused(Unpooled.buffer().writeInt(13).writeByte(FrameCodec.DATA).writeInt(1).writeLong(0),
      "a DATA frame of 13 bytes");
    assertRefused(Unpooled.buffer().writeInt(14).writeByte(FrameCodec.DATA).writeInt(0).writeLong(0).writeByte(1),
      "DATA on channel 0");
  }

  @Test
  void a_length_beyond_the_limit_fails_before_anything_is_buffered() {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    ch.writeInbound(Unpooled.buffer().writeInt(Integer.MAX_VALUE).writeByte(FrameCodec.DATA));
    assertThat(ch.<Object>readInbound()).isInstanceOfSatisfying(ProtocolException.class,
      e -> assertThat(e.getMessage()).startsWith("a DATA frame of 2147483647 bytes"));
    ch.writeInbound(Unpooled.buffer().writeInt(FrameCodec.MAX_CONTROL + 1).writeByte(Frame.Hello.TYPE));
    assertThat(ch.<Object>readInbound()).as("nothing after the first protocol error").isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void a_long_string_is_cut_at_the_limit_on_a_character_boundary() {
    String reason = "é".repeat(FrameCodec.MAX_STRING);
    ByteBuf b = encode(new Frame.Refuse(reason));
    Frame.Refuse back = (Frame.Refuse) FrameCodec.decode(b.skipBytes(4));
    assertThat(back.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FrameCodec.MAX_STRING);
    assertThat(reason).startsWith(back.reason());
    b.release();
  }

  @Test
  void fuzzed_bytes_end_in_frames_or_one_protocol_exception_and_nothing_else() {
    Random random = new Random(2026);
    List<byte[]> seeds = new ArrayList<>();
    for (Frame f : samples()) {
      ByteBuf b = encode(f);
      seeds.add(ByteBufUtil.getBytes(b));
      b.release();
    }
    ByteBuf d = dataFrame(3, 10, new byte[100]);
    seeds.add(ByteBufUtil.getBytes(d));
    d.release();
    for (int i = 0; i < 20_000; i++) {
      byte[] input;
      if (i % 2 == 0) {
        input = seeds.get(random.nextInt(seeds.size())).clone();
        for (int m = 0; m < 1 + random.nextInt(4); m++) {
          input[random.nextInt(input.length)] = (byte) random.nextInt(256);
        }
      } else {
        input = new byte[1 + random.nextInt(64)];
        random.nextBytes(input);
      }
      EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
      ch.writeInbound(Unpooled.wrappedBuffer(input));
      int errors = 0;
      Object o;
      while ((o = ch.readInbound()) != null) {
        if (o instanceof ProtocolException) {
          errors++;
        } else if (o instanceof DataPiece p) {
          p.bytes().release();
        } else {
          assertThat(o).as("input %d", i).isInstanceOf(Frame.class);
        }
      }
      assertThat(errors).as("protocol errors for input %d", i).isLessThanOrEqualTo(1);
      ch.finishAndReleaseAll();
    }
  }

  private static ByteBuf control(int type, int... body) {
    ByteBuf b = Unpooled.buffer().writeInt(1 + body.length).writeByte(type);
    for (int v : body) {
      b.writeByte(v);
    }
    return b;
  }

  private static void assertRefused(ByteBuf wire, String reason) {
    EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder());
    ch.writeInbound(wire);
    Object first = ch.readInbound();
    assertThat(first).as("for %s", reason).isInstanceOf(ProtocolException.class);
    assertThat(((ProtocolException) first).getMessage()).startsWith(reason);
    assertThat(ch.<Object>readInbound()).isNull();
    ch.finishAndReleaseAll();
  }
}
