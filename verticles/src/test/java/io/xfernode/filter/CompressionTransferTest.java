package io.xfernode.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.MemoryElements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code gzip} and {@code gunzip} filters in real transfers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class CompressionTransferTest {

  private static final int LENGTH = 3 * 1024 * 1024 + 4321;

  private final MemoryElements memory = new MemoryElements();
  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(memory.registry(), List.of("gzip"));
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9})
  void gzip_then_gunzip_returns_the_input_exactly(int level) throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", level).put("length", LENGTH))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip").put("level", level))
        .add(new JsonObject().put("type", "gunzip")))
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(LENGTH);
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(level, LENGTH)));
  }

  @Test
  void gzip_output_is_gzip_the_jdk_reads() throws Exception {
    int length = 1024 * 1024 + 7;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 3).put("length", length))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip")))
      .put("sink", new JsonObject().put("type", "memory").put("key", "gz")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(GzipCodecTest.gunzipWithJdk(memory.get("gz"))).isEqualTo(RandomBytes.bytes(3, length));
  }

  @Test
  void gzip_output_is_gzip_the_gzip_command_reads() throws Exception {
    Assumptions.assumeTrue(onPath("gzip"), "gzip is not installed");
    String text = "gzip -d reads what the gzip filter writes\n";
    int length = 2 * 1024 * 1024 + 3;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("pattern", text).put("length", length))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip").put("level", 9))
        .add(new JsonObject().put("type", "process").put("command", new JsonArray().add("gzip").add("-dc"))))
      .put("sink", new JsonObject().put("type", "memory").put("key", "gzip-dc")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    byte[] expected = text.repeat(length / text.length() + 1).substring(0, length).getBytes(StandardCharsets.UTF_8);
    assertThat(memory.get("gzip-dc")).isEqualTo(expected);
  }

  @Test
  void gunzip_decodes_two_concatenated_jdk_members() throws Exception {
    byte[] first = GzipCodecTest.mixed(1_000_003);
    byte[] second = RandomBytes.bytes(5, 500_001);
    memory.put("members", GzipCodecTest.concat(GzipCodecTest.gzipWithJdk(first), GzipCodecTest.gzipWithJdk(second)));
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "memory").put("key", "members").put("chunk", 10_007))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gunzip")))
      .put("sink", new JsonObject().put("type", "memory").put("key", "members")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("members")).isEqualTo(GzipCodecTest.concat(first, second));
  }

  @Test
  void gunzip_of_data_that_is_not_gzip_fails_the_transfer_with_400() throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("length", 100_000))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gunzip")))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("FAILED");
    JsonObject error = status.getJsonObject("error");
    assertThat(error.getInteger("code")).isEqualTo(400);
    assertThat(error.getString("message")).contains("not gzip data");
    assertThat(error.getString("element")).isEqualTo("filters[0]");
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
