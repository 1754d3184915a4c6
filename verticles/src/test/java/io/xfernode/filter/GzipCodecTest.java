package io.xfernode.filter;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.XferException;
import io.xfernode.link.Buffers;
import io.xfernode.link.PullSource;
import io.xfernode.source.RandomBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gzip codecs on their own, against the JDK's gzip streams, with buffers split at every awkward place. */
class GzipCodecTest {

  @ParameterizedTest
  @CsvSource({"1, 65536, 262144", "6, 7, 64", "9, 100000, 1000", "6, 262144, 262144"})
  void encoder_output_is_read_back_by_the_jdk(int level, int inChunk, int outSize) throws Exception {
    byte[] input = mixed(1_500_000 + 17);
    byte[] gz = drain(encoder(level, outSize), source(input, inChunk));
    assertThat(gunzipWithJdk(gz)).as("JDK-decompressed bytes").isEqualTo(input);
  }

  @Test
  void encoder_places_the_trailer_right_whatever_room_the_last_buffer_has() throws Exception {
    for (int length = 0; length < 300; length++) {
      byte[] input = RandomBytes.bytes(length, length);
      byte[] gz = drain(encoder(6, 64), source(input, 13));
      assertThat(gunzipWithJdk(gz)).as("input of %d bytes", length).isEqualTo(input);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 10, 4096, 1 << 20})
  void decoder_reads_two_concatenated_jdk_members(int inChunk) throws Exception {
    byte[] first = mixed(300_001);
    byte[] second = "and a second member\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    byte[] gz = concat(gzipWithJdk(first), gzipWithJdk(second));
    byte[] out = drain(new GzipDecoder(65536)::next, source(gz, inChunk));
    assertThat(out).isEqualTo(concat(first, second));
  }

  @Test
  void decoder_reads_an_empty_member_between_others() throws Exception {
    byte[] gz = concat(gzipWithJdk(new byte[]{1, 2}), gzipWithJdk(new byte[0]), gzipWithJdk(new byte[]{3}));
    assertThat(drain(new GzipDecoder(64)::next, source(gz, 5))).containsExactly(1, 2, 3);
  }

  @Test
  void decoder_skips_every_optional_header_field() throws Exception {
    byte[] data = "optional fields are skipped".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    // FHCRC | FEXTRA | FNAME | FCOMMENT
    gz.write(new byte[]{0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    gz.write(new byte[]{3, 0, 'a', 'b', 'c'});
    gz.write("name.txt\0".getBytes(StandardCharsets.US_ASCII));
    gz.write("a comment\0".getBytes(StandardCharsets.US_ASCII));
    gz.write(new byte[]{0x12, 0x34});
    gz.write(rawDeflate(data));
    CRC32 crc = new CRC32();
    crc.update(data);
    gz.write(le32(crc.getValue()));
    gz.write(le32(data.length));
    assertThat(drain(new GzipDecoder(64)::next, source(gz.toByteArray(), 1))).isEqualTo(data);
  }

  @Test
  void decoder_refuses_data_that_is_not_gzip_with_400() {
    assertRefused("plain text, not gzip".getBytes(StandardCharsets.UTF_8), "the input is not gzip data");
    assertRefused(new byte[0], "the input is not gzip data: it is empty");
    assertRefused(new byte[]{0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0}, "compression method 7");
  }

  @Test
  void decoder_refuses_truncated_corrupt_or_trailing_data_with_400() throws Exception {
    byte[] gz = gzipWithJdk(mixed(100_000));
    assertRefused(Arrays.copyOf(gz, gz.length - 3), "truncated");
    assertRefused(Arrays.copyOf(gz, gz.length / 2), "truncated");
    byte[] badCrc = gz.clone();
    badCrc[gz.length - 8] ^= 1;
    assertRefused(badCrc, "CRC-32");
    assertRefused(concat(gz, "junk".getBytes(StandardCharsets.UTF_8)), "after member 1");
  }

  private static void assertRefused(byte[] input, String message) {
    assertThatThrownBy(() -> drain(new GzipDecoder(1024)::next, source(input, 7)))
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).isEqualTo(400))
      .hasMessageContaining(message);
  }

  interface Codec {
    Buffer next(PullSource in) throws Exception;
  }

  private static Codec encoder(int level, int outSize) {
    return new GzipEncoder(level, outSize)::next;
  }

  static PullSource source(byte[] bytes, int chunk) {
    int[] at = {0};
    return () -> {
      if (at[0] >= bytes.length) {
        return null;
      }
      int n = Math.min(chunk, bytes.length - at[0]);
      Buffer b = Buffers.wrap(Arrays.copyOfRange(bytes, at[0], at[0] + n), n);
      at[0] += n;
      return b;
    };
  }

  static byte[] drain(Codec codec, PullSource in) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Buffer b;
    while ((b = codec.next(in)) != null) {
      assertThat(b.length()).as("a buffer handed on").isPositive();
      out.writeBytes(b.getBytes());
    }
    return out.toByteArray();
  }

  /** Compressible and incompressible runs, so that the deflater's output comes in uneven pieces. */
  static byte[] mixed(int length) {
    byte[] out = RandomBytes.bytes(42, length);
    for (int i = 0; i < length; i += 20_000) {
      Arrays.fill(out, i, Math.min(length, i + 10_000), (byte) 'x');
    }
    return out;
  }

  static byte[] gzipWithJdk(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] gunzipWithJdk(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  private static byte[] rawDeflate(byte[] data) {
    Deflater d = new Deflater(6, true);
    d.setInput(data);
    d.finish();
    byte[] out = new byte[data.length + 64];
    int n = d.deflate(out);
    d.end();
    return Arrays.copyOf(out, n);
  }

  private static byte[] le32(long v) {
    return new byte[]{(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
