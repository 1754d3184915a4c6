package io.xfernode.pool.wire;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pool protocol's frames: every type round-trips, streams are cut right, and bad bytes fail cleanly. */
class FrameCodecTest {

  private static final byte[] TOKEN = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, (byte) 0xff};

  static List<Frame> samples() {
    Random random = new Random(42);
    byte[] payload = new byte[70_001];
    random.nextBytes(payload);
    return List.of(
      new Frame.Hello(Frame.VERSION, "default", "node-a"),
      new Frame.Welcome("node-b"),
      new Frame.Refuse("unknown pool \"nope\""),
      new Frame.DataStart(7, "transfer-1", 2, 4, TOKEN, 1L << 40),
      new Frame.DataYes(7, 4 << 20),
      new Frame.DataNo(9, "unknown token"),
      new Frame.Data(7, 123_456_789_012L, Buffer.buffer(payload)),
      new Frame.Credit(7, 65_536),
      new Frame.Eof(7, 5_000_000_000L, "sha256:abcdef"),
      new Frame.EofAck(7, 5_000_000_000L),
      new Frame.Abort(7, "cancelled: enough, ünïcödé"));
  }

  /** Records compare arrays and buffers by identity; compare what they carry instead. */
  private static String show(Frame f) {
    if (f instanceof Frame.DataStart s) {
      return "DataStart" + List.of(s.channel(), s.transfer(), s.stream(), s.streams(), Buffer.buffer(s.token()), s.offset());
    }
    return f.toString();
  }

  @Test
  void every_frame_type_round_trips() {
    for (Frame f : samples()) {
      Buffer wire = FrameCodec.encode(f);
      assertThat(wire.getInt(0)).as("length prefix of %s", f.getClass().getSimpleName()).isEqualTo(wire.length() - 4);
      assertThat((int) wire.getUnsignedByte(4)).isEqualTo(f.type());
      Frame back = FrameCodec.decode(wire.slice(4, wire.length()));
      assertThat(show(back)).isEqualTo(show(f));
    }
  }

  @Test
  void a_stream_is_cut_into_the_same_frames_however_it_arrives() {
    Buffer all = Buffer.buffer();
    samples().forEach(f -> all.appendBuffer(FrameCodec.encode(f)));
    for (int chunk : new int[] {1, 3, 4, 5, 4096, all.length()}) {
      List<String> got = new ArrayList<>();
      FrameParser parser = new FrameParser(f -> got.add(show(f)), e -> {
        throw new AssertionError(e);
      });
      for (int i = 0; i < all.length(); i += chunk) {
        parser.handle(all.slice(i, Math.min(all.length(), i + chunk)).copy());
      }
      assertThat(got).as("cut in chunks of %d bytes", chunk).containsExactlyElementsOf(samples().stream()
        .map(FrameCodecTest::show).toList());
    }
  }

  @Test
  void bad_frames_are_refused_with_a_reason() {
    assertRefused(Buffer.buffer().appendByte((byte) 0x7f), "unknown frame type 0x7f");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Data.TYPE).appendInt(0).appendLong(0).appendByte((byte) 1),
      "channel 0 is not a channel");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Data.TYPE).appendInt(3).appendLong(0), "DATA: no payload");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Data.TYPE).appendInt(3).appendLong(-5).appendByte((byte) 1),
      "offset 18446744073709551611 is negative");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Credit.TYPE).appendInt(3).appendInt(-1),
      "credit 4294967295 is not positive");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.EofAck.TYPE).appendInt(3).appendLong(1).appendByte((byte) 0),
      "EofAck: 1 bytes left over");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Welcome.TYPE).appendUnsignedShort(2)
      .appendBytes(new byte[] {(byte) 0xc3, (byte) 0x28}), "node: not UTF-8");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Welcome.TYPE).appendUnsignedShort(5).appendByte((byte) 'a'),
      "frame ends inside node");
    assertRefused(Buffer.buffer().appendByte((byte) Frame.Refuse.TYPE).appendUnsignedShort(FrameCodec.MAX_STRING + 1),
      "reason: 1025 bytes, above 1024");
    Buffer start = FrameCodec.encode(new Frame.DataStart(1, "t", 3, 3, TOKEN, 0));
    assertRefused(start.slice(4, start.length()), "DATA_START: stream 3 of 3");
  }

  private static void assertRefused(Buffer frame, String reason) {
    assertThatThrownBy(() -> FrameCodec.decode(frame)).isInstanceOf(ProtocolException.class).hasMessageContaining(reason);
  }

  @Test
  void a_length_beyond_the_limit_fails_before_anything_is_buffered() {
    List<ProtocolException> failures = new ArrayList<>();
    List<Frame> frames = new ArrayList<>();
    FrameParser parser = new FrameParser(frames::add, failures::add);
    parser.handle(Buffer.buffer().appendInt(FrameCodec.MAX_FRAME + 1));
    assertThat(failures).singleElement().extracting(Throwable::getMessage).asString()
      .startsWith("a frame of " + (FrameCodec.MAX_FRAME + 1) + " bytes");
    parser.handle(FrameCodec.encode(new Frame.Welcome("late")));
    assertThat(frames).as("nothing is parsed after a failure").isEmpty();
    assertThat(failures).hasSize(1);
  }

  @Test
  void a_long_string_is_cut_at_the_limit_on_a_character_boundary() {
    Frame.Abort abort = new Frame.Abort(5, "é".repeat(FrameCodec.MAX_STRING));
    Buffer wire = FrameCodec.encode(abort);
    Frame.Abort back = (Frame.Abort) FrameCodec.decode(wire.slice(4, wire.length()));
    assertThat(back.reason()).isEqualTo("é".repeat(FrameCodec.MAX_STRING / 2));
  }

  /** SPEC 5: the wire protocol is fuzzed. Mutated and random bytes parse, or fail with a ProtocolException. */
  @Test
  void fuzzed_bytes_never_escape_as_anything_but_a_protocol_exception() {
    Random random = new Random(7);
    List<Buffer> valid = samples().stream()
      .map(f -> f instanceof Frame.Data d ? new Frame.Data(d.channel(), d.offset(), d.payload().slice(0, 100)) : f)
      .map(FrameCodec::encode).toList();
    int parsed = 0;
    int refused = 0;
    for (int round = 0; round < 20_000; round++) {
      Buffer input;
      if (round % 4 == 0) {
        byte[] noise = new byte[random.nextInt(64)];
        random.nextBytes(noise);
        input = Buffer.buffer(noise);
      } else {
        input = valid.get(random.nextInt(valid.size())).copy();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
          int at = random.nextInt(Math.min(input.length(), 64));
          input.setByte(at, (byte) random.nextInt(256));
        }
        if (random.nextBoolean()) {
          input = input.slice(0, random.nextInt(input.length() + 1)).copy();
        }
      }
      int[] counts = new int[2];
      FrameParser parser = new FrameParser(f -> counts[0]++, e -> counts[1]++);
      parser.handle(input);
      parsed += counts[0];
      refused += counts[1];
      assertThat(counts[1]).isLessThanOrEqualTo(1);
    }
    assertThat(parsed).as("some mutations still parse").isPositive();
    assertThat(refused).as("most are refused").isGreaterThan(5_000);
  }
}
