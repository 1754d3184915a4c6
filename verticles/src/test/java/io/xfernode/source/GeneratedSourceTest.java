package io.xfernode.source;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** The PUSH loop every generated source shares ({@code random}, {@code pattern}). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class GeneratedSourceTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /**
   * The downstream fails at once, so its link may fail before this source hears its own cancel: the source
   * must then stop writing, not spin on its event loop (where its cancel waits) until its endless length.
   */
  @RepeatedTest(10)
  void an_endless_source_stops_when_the_link_after_it_fails() throws Exception {
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 50))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gunzip")))
      .put("sink", new JsonObject().put("type", "null")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(400);
  }
}
