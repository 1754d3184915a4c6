package io.xfernode.transfer;

import io.xfernode.api.XferException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The node's memory budget: grants shrink as it fills, never past it, and come back when released. */
class MemoryBudgetTest {

  @Test
  void buffers_get_less_as_the_budget_fills_and_a_transfer_past_it_is_refused_with_429() {
    MemoryBudget budget = new MemoryBudget(8L << 20);
    MemoryBudget.Grant a = budget.reserve("a", 2);
    assertThat(a.each()).as("a sixty-fourth of what is left, but never less than the least").isEqualTo(MemoryBudget.MIN);
    MemoryBudget.Grant big = budget.reserve("big", 20);
    assertThat(big.each()).isEqualTo(MemoryBudget.MIN);
    MemoryBudget.Grant c = budget.reserve("c", 8);
    assertThat(c.each()).isEqualTo(MemoryBudget.MIN);
    assertThat(budget.used()).isEqualTo(30 * MemoryBudget.MIN).isLessThanOrEqualTo(budget.limit());

    assertThatThrownBy(() -> budget.reserve("d", 4)).isInstanceOfSatisfying(XferException.class,
      e -> assertThat(e.code()).isEqualTo(429)).hasMessageContaining("limits.maxBufferedBytes");

    c.release();
    c.release(); // once only
    assertThat(budget.used()).isEqualTo(22 * MemoryBudget.MIN);
    assertThat(budget.reserve("d", 4).each()).isEqualTo(MemoryBudget.MIN);
    a.release();
    big.release();
    assertThat(budget.used()).isEqualTo(4 * MemoryBudget.MIN);
  }

  @Test
  void many_transfers_fit_in_the_default_budget_of_a_small_heap() {
    MemoryBudget budget = new MemoryBudget(MemoryBudget.auto(256L << 20));
    for (int i = 0; i < 100; i++) {
      budget.reserve("t" + i, 2);
    }
    assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
  }

  @Test
  void a_large_budget_gives_each_buffer_what_it_wants() {
    MemoryBudget budget = new MemoryBudget(1L << 30);
    assertThat(budget.reserve("a", 2).each()).isEqualTo(MemoryBudget.WANT);
    assertThat(budget.reserve("b", 1).each()).as("a sixty-fourth of what is left").isEqualTo(MemoryBudget.WANT);
    assertThat(budget.reserve("none", 0).each()).isEqualTo(MemoryBudget.WANT);
    assertThat(budget.used()).isEqualTo(3 * MemoryBudget.WANT);
    MemoryBudget.Grant many = budget.reserve("c", 64);
    assertThat(many.each()).as("a sixty-fourth of 1000 MiB over 64 buffers is below the least").isEqualTo(MemoryBudget.MIN);
    assertThat(MemoryBudget.auto(256L << 20)).isEqualTo(64L << 20);
    assertThat(MemoryBudget.auto(8L << 30)).isEqualTo(2L << 30);
  }
}
