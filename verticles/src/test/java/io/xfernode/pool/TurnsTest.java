package io.xfernode.pool;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The channels of a connection take turns at a writable socket: no channel always goes first. */
class TurnsTest {

  @Test
  void each_round_starts_one_further_along_and_visits_every_channel_once() {
    Turns turns = new Turns();
    List<String> channels = List.of("a", "b", "c");
    assertThat(turns.round(channels)).containsExactly("a", "b", "c");
    assertThat(turns.round(channels)).containsExactly("b", "c", "a");
    assertThat(turns.round(channels)).containsExactly("c", "a", "b");
    assertThat(turns.round(channels)).containsExactly("a", "b", "c");
  }

  @Test
  void the_round_is_a_copy_so_a_channel_may_leave_during_it_and_fewer_channels_still_rotate() {
    Turns turns = new Turns();
    List<String> channels = new ArrayList<>(List.of("a", "b", "c", "d"));
    List<String> seen = new ArrayList<>();
    for (String c : turns.round(channels)) {
      seen.add(c);
      channels.remove("c");
    }
    assertThat(seen).containsExactly("a", "b", "c", "d");
    assertThat(turns.round(channels)).containsExactly("b", "d", "a");
    assertThat(turns.round(List.of("x"))).containsExactly("x");
    assertThat(turns.round(List.of())).isEmpty();
  }
}
