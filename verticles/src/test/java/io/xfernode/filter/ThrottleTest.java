package io.xfernode.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code throttle} filter. Only a generous lower bound on the duration is asserted: a loaded machine may
 * be slower than the rate, never faster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ThrottleTest {

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
  void a_throttled_transfer_takes_at_least_its_bytes_over_the_rate_and_keeps_every_byte() throws Exception {
    int length = 1024 * 1024 + 999;
    long rate = 2L * 1024 * 1024;
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 21).put("length", length))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "throttle").put("rate", rate)))
      .put("sink", new JsonObject().put("type", "digest"));
    assertTakesAtLeast(spec, length, rate, 21);
  }

  @Test
  void a_rate_below_the_buffer_size_is_kept_too() throws Exception {
    int length = 30_000;
    long rate = 50_000;
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 22).put("length", length))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "throttle").put("rate", rate)))
      .put("sink", new JsonObject().put("type", "digest"));
    assertTakesAtLeast(spec, length, rate, 22);
  }

  @Test
  void the_rate_limit_option_throttles_the_transfer() throws Exception {
    int length = 512 * 1024 + 1;
    long rate = 1024 * 1024;
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 23).put("length", length))
      .put("sink", new JsonObject().put("type", "digest"))
      .put("options", new JsonObject().put("rateLimit", rate));
    assertTakesAtLeast(spec, length, rate, 23);
  }

  private void assertTakesAtLeast(JsonObject spec, int length, long rate, long seed) throws Exception {
    long started = System.nanoTime();
    JsonObject status = fx.run(spec);
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("value")).as("sha256 of the bytes")
      .isEqualTo(CompressionTransferTest.sha256(RandomBytes.bytes(seed, length)));
    long expectedMs = length * 1000L / rate;
    assertThat(tookMs).as("milliseconds for %d bytes at %d bytes/s", length, rate).isGreaterThanOrEqualTo(expectedMs * 7 / 10);
  }
}
