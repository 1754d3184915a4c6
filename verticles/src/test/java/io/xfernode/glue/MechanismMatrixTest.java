package io.xfernode.glue;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.Cost;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import io.xfernode.sink.MechSink;
import io.xfernode.source.MechSource;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every glue of the table carries seeded data byte for byte, as the original C design's test matrix did.
 * A glue with a TCP side is run next to the glue that closes that TCP link again, so every TCP glue is
 * exercised over a real loopback connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class MechanismMatrixTest {

  /** At least 3 MiB plus an odd tail, so that chunk boundaries never line up. */
  static final int LENGTH = 3 * 1024 * 1024 + 4099;
  static final long SEED = 20261122;

  private EngineFixture fx;
  private String expected;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(ElementRegistry.load().with(new MechSource()).with(new MechSink()), List.of());
    expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(RandomBytes.bytes(SEED, LENGTH)));
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** Every glue but those of the pool hop, which need two nodes' pools (PoolTransferTest in node runs them). */
  static Stream<String> glues() {
    return GlueTable.standard().all().stream()
      .filter(g -> g.in() != Mechanism.POOL && g.out() != Mechanism.POOL).map(Glue::name);
  }

  @Test
  void every_ordered_pair_of_distinct_mechanisms_has_a_glue_and_so_does_channel_to_channel() {
    GlueTable table = GlueTable.standard();
    for (Mechanism in : Mechanism.values()) {
      for (Mechanism out : Mechanism.values()) {
        if (in == Mechanism.POOL || out == Mechanism.POOL) {
          continue;
        }
        if (in != out || in == Mechanism.CHANNEL) {
          assertThat(table.find(in, out)).as("glue %s→%s", in, out).isNotNull();
        }
      }
    }
    for (Mechanism m : new Mechanism[]{Mechanism.PUSH, Mechanism.CHANNEL}) {
      assertThat(table.find(m, Mechanism.POOL)).as("into a pool from %s", m).isNotNull();
      assertThat(table.find(Mechanism.POOL, m)).as("out of a pool into %s", m).isNotNull();
    }
    assertThat(table.all()).hasSize(25);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("glues")
  void the_glue_carries_every_byte(String name) throws Exception {
    GlueTable table = GlueTable.standard();
    Glue glue = table.all().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    List<Glue> chain = new ArrayList<>();
    if (glue.in().crossesNodes()) {
      chain.add(table.find(Mechanism.PUSH, glue.in()));
    }
    chain.add(glue);
    if (glue.out().crossesNodes()) {
      chain.add(table.find(glue.out(), Mechanism.PUSH));
    }
    Mechanism first = chain.get(0).in();
    Mechanism last = chain.get(chain.size() - 1).out();

    List<Step> steps = new ArrayList<>();
    steps.add(new Step(0, "source", Step.ELEMENT, Role.SOURCE, "mech", EngineFixture.NODE, null, first, Cost.FREE,
      new JsonObject().put("mechanism", first.name()).put("seed", SEED).put("length", LENGTH), "test source"));
    for (Glue g : chain) {
      steps.add(new Step(steps.size(), "glue[" + (steps.size() - 1) + "]", Step.GLUE, null, g.name(),
        EngineFixture.NODE, g.in(), g.out(), g.cost(), new JsonObject(), g.description()));
    }
    steps.add(new Step(steps.size(), "sink", Step.ELEMENT, Role.SINK, "mech", EngineFixture.NODE, last, null,
      Cost.FREE, new JsonObject().put("mechanism", last.name()), "test sink"));

    JsonObject status = run(new Plan(steps, Cost.FREE, 1, List.of()));

    assertThat(status.getString("state")).as("state of %s: %s", name, status.getJsonObject("error")).isEqualTo("DONE");
    JsonObject checksum = status.getJsonObject("checksum");
    assertThat(checksum.getString("value")).as("sha256 of the bytes that reached the sink through %s", name)
      .isEqualTo(expected);
  }

  private JsonObject run(Plan plan) throws Exception {
    String id = "matrix-" + UUID.randomUUID();
    CompletableFuture<Void> ended = new CompletableFuture<>();
    var consumer = fx.vertx().eventBus().<JsonObject>consumer(io.xfernode.api.Addresses.events(id), m -> {
      if ("state".equals(m.body().getString("type"))
        && List.of("DONE", "FAILED", "CANCELLED").contains(m.body().getString("state"))) {
        ended.complete(null);
      }
    });
    EngineFixture.await(consumer.completion());
    fx.engine().submitPlan(id, plan);
    ended.get(60, java.util.concurrent.TimeUnit.SECONDS);
    EngineFixture.await(consumer.unregister());
    return EngineFixture.await(fx.engine().status(new JsonObject().put("id", id)));
  }
}
