package io.xfernode.plan;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Role;
import io.xfernode.glue.GlueTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.xfernode.element.Mechanism.CHANNEL;
import static io.xfernode.element.Mechanism.PULL;
import static io.xfernode.element.Mechanism.PUSH;
import static io.xfernode.element.Mechanism.TCP_CONNECT;
import static io.xfernode.element.Mechanism.TCP_LISTEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The planner alone, on element types that only declare mechanism pairs. */
class PlannerTest {

  private final Planner planner = new Planner(GlueTable.standard());

  /** An element type with the given pairs and nothing else. */
  record Fake(String type, Role role, List<MechPair> pairs) implements ElementType<Void> {
    @Override
    public Set<String> optionKeys() {
      return Set.of();
    }

    @Override
    public Void parse(JsonFields fields) {
      return null;
    }

    @Override
    public List<MechPair> pairs(Void options) {
      return pairs;
    }

    @Override
    public Element create(Void options) {
      throw new UnsupportedOperationException();
    }
  }

  /** Like the file source: CHANNEL for free, PUSH at one copy. */
  static final Fake FILE_SOURCE = new Fake("file", Role.SOURCE,
    List.of(MechPair.source(CHANNEL, 0, 0), MechPair.source(PUSH, 1, 0)));
  static final Fake FILE_SINK = new Fake("file", Role.SINK,
    List.of(MechPair.sink(CHANNEL, 0, 0), MechPair.sink(PUSH, 1, 0)));
  static final Fake GUNZIP = new Fake("gunzip", Role.FILTER, List.of(MechPair.filter(PULL, PULL, 1, 0)));

  static ChainElement at(String name, Fake type, String node) {
    return ChainElement.of(name, type.role(), type, null, node, new JsonObject());
  }

  static List<String> mechanisms(Plan plan) {
    return plan.steps().stream().map(s -> s.type() + ":" + s.in() + ">" + s.out()).collect(Collectors.toList());
  }

  @Test
  void file_to_file_is_joined_channel_to_channel_with_zero_copies_and_says_so() {
    Plan plan = planner.plan(List.of(at("source", FILE_SOURCE, "a"), at("sink", FILE_SINK, "a")));

    assertThat(mechanisms(plan)).containsExactly("file:null>CHANNEL", "channel-to-channel:CHANNEL>CHANNEL",
      "file:CHANNEL>null");
    assertThat(plan.zeroCopy()).isTrue();
    assertThat(plan.cost().copies()).isZero();
    assertThat(plan.cost().threads()).isEqualTo(1);
    assertThat(plan.explain().get(plan.explain().size() - 1)).contains("zero-copy").contains("0 copies/byte");
    assertThat(plan.explain().get(1)).contains("transferTo");
  }

  @Test
  void a_pull_only_filter_gets_glue_on_both_sides() {
    Plan plan = planner.plan(List.of(at("source", FILE_SOURCE, "a"), at("filters[0]", GUNZIP, "a"),
      at("sink", FILE_SINK, "a")));

    List<Step> steps = plan.steps();
    assertThat(steps).hasSize(5);
    assertThat(steps.get(1).isGlue()).isTrue();
    assertThat(steps.get(1).out()).isEqualTo(PULL);
    assertThat(steps.get(3).isGlue()).isTrue();
    assertThat(steps.get(3).in()).isEqualTo(PULL);
    // both ways in and out cost the same (1 copy), so the tie goes to the first mechanism declared: PUSH
    assertThat(mechanisms(plan)).containsExactly("file:null>PUSH", "push-to-pull:PUSH>PULL", "gunzip:PULL>PULL",
      "pull-to-push:PULL>PUSH", "file:PUSH>null");
    assertThat(plan.cost().copies()).as("copies").isEqualTo(3);
  }

  @Test
  void with_copies_equal_the_chain_with_fewer_threads_wins() {
    // PUSH or PULL at one copy each, PUSH with a thread: the same copies, so threads decide; PUSH would win
    // the tie-break that follows (it comes first among the mechanisms), so only the threads pick PULL
    Fake source = new Fake("src", Role.SOURCE, List.of(MechPair.source(PUSH, 1, 1), MechPair.source(PULL, 1, 0)));
    Fake sink = new Fake("snk", Role.SINK, List.of(MechPair.sink(PUSH, 1, 1), MechPair.sink(PULL, 1, 0)));
    Plan plan = planner.plan(List.of(at("source", source, "a"), at("sink", sink, "a")));

    assertThat(mechanisms(plan)).containsExactly("src:null>PULL", "snk:PULL>null");
    assertThat(plan.cost()).isEqualTo(io.xfernode.element.Cost.of(2, 0));
    assertThat(plan.alternatives()).as("the PUSH pairs were candidates too").isGreaterThan(1);
  }

  @Test
  void fewer_copies_win_over_fewer_threads() {
    Fake source = new Fake("src", Role.SOURCE, List.of(MechPair.source(PUSH, 2, 0), MechPair.source(PULL, 0, 1)));
    Fake sink = new Fake("snk", Role.SINK, List.of(MechPair.sink(PUSH, 1, 0), MechPair.sink(PULL, 0, 1)));
    Plan plan = planner.plan(List.of(at("source", source, "a"), at("sink", sink, "a")));

    assertThat(mechanisms(plan)).containsExactly("src:null>PULL", "snk:PULL>null");
    assertThat(plan.cost()).isEqualTo(io.xfernode.element.Cost.of(0, 2));
  }

  @Test
  void ties_are_broken_the_same_way_every_time() {
    List<ChainElement> chain = List.of(at("source", FILE_SOURCE, "a"), at("filters[0]", GUNZIP, "a"),
      at("sink", FILE_SINK, "a"));
    String first = planner.plan(chain).toJson().encode();
    for (int i = 0; i < 20; i++) {
      assertThat(planner.plan(chain).toJson().encode()).isEqualTo(first);
    }
  }

  @Test
  void neighbours_on_two_nodes_meet_over_tcp_glue_one_on_each_node() {
    Plan plan = planner.plan(List.of(at("source", FILE_SOURCE, "a"), at("sink", FILE_SINK, "b")));

    List<Step> steps = plan.steps();
    assertThat(steps).hasSize(4);
    Step out = steps.get(1);
    Step in = steps.get(2);
    assertThat(out.isGlue() && in.isGlue()).isTrue();
    assertThat(out.node()).isEqualTo("a");
    assertThat(in.node()).isEqualTo("b");
    assertThat(out.out()).isIn(TCP_LISTEN, TCP_CONNECT).isEqualTo(in.in());
    assertThat(out.in()).as("the file is sent with transferTo").isEqualTo(CHANNEL);
    assertThat(plan.toJson().getJsonArray("links").getJsonObject(1).getBoolean("crossesNodes")).isTrue();
    assertThat(plan.nodes()).containsExactly("a", "b");
  }

  @Test
  void an_unjoinable_chain_is_refused_with_400_and_the_reason() {
    Planner noGlue = new Planner(GlueTable.of(List.of()));
    assertThatThrownBy(() -> noGlue.plan(List.of(at("source", FILE_SOURCE, "a"), at("filters[0]", GUNZIP, "a"),
      at("sink", FILE_SINK, "a"))))
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).isEqualTo(400))
      .hasMessageStartingWith("filters[0]: cannot join source (file, outputs CHANNEL, PUSH) to filters[0] "
        + "(gunzip, accepts PULL) on node a");
  }

  @Test
  void an_element_with_no_pair_for_its_role_is_refused() {
    Fake broken = new Fake("odd", Role.SINK, List.of(MechPair.source(PUSH, 0, 0)));
    assertThatThrownBy(() -> planner.plan(List.of(at("source", FILE_SOURCE, "a"), at("sink", broken, "a"))))
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).isEqualTo(400))
      .hasMessageContaining("accepts nothing");
  }
}
