package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.ElementRegistry;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.UUID;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code limits.maxBufferedBytes} bounds what all transfers of a node buffer together: with a budget of
 * 1 MiB, two transfers that each hold two buffers take it all, the third is refused with 429 naming the
 * limit, and once one ends the next fits.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class MemoryAdmissionTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(ElementRegistry.load(), List.of(), 1L << 20, 64);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void transfers_past_the_node_budget_are_refused_with_429_until_memory_is_free() throws Exception {
    String prefix = "memory-" + UUID.randomUUID() + "-";
    // pattern → throttle → null: two PUSH links, two rings
    assertThat(await(fx.submit(AdmissionTest.endless(prefix + 1))).getString("state")).isEqualTo("RUNNING");
    assertThat(await(fx.submit(AdmissionTest.endless(prefix + 2))).getString("state")).isEqualTo("RUNNING");
    assertThat(fx.engine().memory().used()).isEqualTo(1L << 20);

    assertThatThrownBy(() -> await(fx.submit(AdmissionTest.endless(prefix + 3))))
      .satisfies(t -> assertThat(io.xfernode.api.XferException.from(t).code()).isEqualTo(429))
      .hasMessageContaining("limits.maxBufferedBytes");

    await(fx.engine().cancel(new JsonObject().put("id", prefix + 1)));
    assertThat(fx.engine().memory().used()).as("the cancelled transfer's buffers are free").isEqualTo(512L << 10);
    assertThat(await(fx.submit(AdmissionTest.endless(prefix + 4))).getString("state")).isEqualTo("RUNNING");

    await(fx.engine().cancel(new JsonObject().put("id", prefix + 2)));
    await(fx.engine().cancel(new JsonObject().put("id", prefix + 4)));
    assertThat(fx.engine().memory().used()).isZero();
    // bytes still move through the smallest rings
    JsonObject done = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 3).put("length", 10L << 20))
      .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256")));
    assertThat(done.getString("state")).isEqualTo("DONE");
    assertThat(done.getLong("bytes")).isEqualTo(10L << 20);
  }
}
