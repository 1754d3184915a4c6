package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class SmokeTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void random_to_digest_reports_the_jdk_sha256() throws Exception {
    int length = 3 * 1024 * 1024 + 12345;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 7).put("length", length))
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256")));
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(RandomBytes.bytes(7, length)));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(length);
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(expected);
  }
}
