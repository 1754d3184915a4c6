package io.xfernode.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code checksum} filter and the {@code digest} sink report exactly what the JDK computes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ChecksumValuesTest {

  private static final int LENGTH = 2 * 1024 * 1024 + 333;
  private static final long SEED = 77;

  private EngineFixture fx;
  private byte[] bytes;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    bytes = RandomBytes.bytes(SEED, LENGTH);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256", "md5", "crc32c"})
  void the_digest_sink_reports_the_jdk_value(String algorithm) throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", algorithm)));
    assertChecksum(status, algorithm);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256", "md5", "crc32c"})
  void the_checksum_filter_reports_the_jdk_value_over_push(String algorithm) throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("filters", new JsonArray().add(new JsonObject().put("type", "checksum").put("algorithm", algorithm)))
      .put("sink", new JsonObject().put("type", "null")));
    assertChecksum(status, algorithm);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256", "md5", "crc32c"})
  void the_checksum_filter_reports_the_jdk_value_over_pull(String algorithm) throws Exception {
    // gzip runs only over PULL, so the checksum filter before it is pulled too
    JsonObject status = fx.run(new JsonObject().put("source", random())
      .put("filters", new JsonArray().add(new JsonObject().put("type", "checksum").put("algorithm", algorithm))
        .add(new JsonObject().put("type", "gzip").put("level", 1)))
      .put("sink", new JsonObject().put("type", "null")));
    assertChecksum(status, algorithm);
  }

  @Test
  void crc32c_is_printed_as_eight_lower_case_hex_digits_keeping_leading_zeros() {
    // find a small input whose CRC-32C is below 0x10000000 (one in sixteen are)
    for (int i = 0; ; i++) {
      byte[] input = {(byte) i, (byte) (i >>> 8)};
      CRC32C crc = new CRC32C();
      crc.update(input);
      if (crc.getValue() < 0x10000000L) {
        Digests.Digest digest = Digests.create("crc32c");
        digest.update(Buffer.buffer(input));
        assertThat(digest.hex()).hasSize(8).startsWith("0").isEqualTo(String.format("%08x", crc.getValue()))
          .isLowerCase();
        return;
      }
    }
  }

  private void assertChecksum(JsonObject status, String algorithm) throws Exception {
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    JsonObject checksum = status.getJsonObject("checksum");
    assertThat(checksum.getString("algorithm")).isEqualTo(algorithm);
    assertThat(checksum.getString("value")).as("%s of %d random bytes", algorithm, LENGTH).isEqualTo(jdk(algorithm));
  }

  private String jdk(String algorithm) throws Exception {
    switch (algorithm) {
      case "sha256":
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      case "md5":
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
      default:
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format("%08x", crc.getValue());
    }
  }

  private static JsonObject random() {
    return new JsonObject().put("type", "random").put("seed", SEED).put("length", LENGTH);
  }
}
