package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Cost;
import io.xfernode.element.Role;
import io.xfernode.plan.Step;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** How the steps' reports add up to a transfer's bytes and bytesOut, without a transfer. */
class ByteCountsUnitTest {

  private static Step step(int i, String kind, Role role, Mechanism in, Mechanism out) {
    return new Step(i, "s" + i, kind, role, "t", "n0", in, out, Cost.FREE, new JsonObject(), "t");
  }

  /** A file offered as a channel, the glue that reads it, a gunzip filter and a sink. */
  private static final List<Step> CHAIN = List.of(
    step(0, Step.ELEMENT, Role.SOURCE, null, Mechanism.CHANNEL),
    step(1, Step.GLUE, null, Mechanism.CHANNEL, Mechanism.PUSH),
    step(2, Step.ELEMENT, Role.FILTER, Mechanism.PUSH, Mechanism.PUSH),
    step(3, Step.ELEMENT, Role.SINK, Mechanism.PUSH, null));

  @Test
  void a_sink_that_reports_before_the_source_does_not_count_as_the_source() {
    ByteCounts counts = new ByteCounts(CHAIN);
    counts.moved(3, 5_000_000);
    assertThat(counts.in()).as("bytes before the source side reported").isZero();
    assertThat(counts.out()).isEqualTo(5_000_000);
  }

  @Test
  void the_glue_that_reads_a_channel_counts_the_source_and_the_sink_counts_the_output() {
    ByteCounts counts = new ByteCounts(CHAIN);
    counts.moved(1, 40_000);
    counts.moved(2, 30_000);
    counts.moved(3, 4_000_000);
    assertThat(counts.in()).isEqualTo(40_000);
    assertThat(counts.out()).isEqualTo(4_000_000);
    counts.moved(0, 50_000);
    assertThat(counts.in()).as("a source that reports counts itself").isEqualTo(50_000);
  }
}
