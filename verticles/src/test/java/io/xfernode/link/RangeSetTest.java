package io.xfernode.link;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Byte ranges: merging, removing, asking, and the same answers as a plain bitmap for random operations. */
class RangeSetTest {

  @Test
  void ranges_merge_when_they_touch_and_split_when_cut() {
    RangeSet r = new RangeSet();
    r.add(10, 20);
    r.add(30, 40);
    r.add(20, 30);
    assertThat(r).hasToString("[10-40]");
    assertThat(r.size()).isEqualTo(30);
    r.remove(15, 25);
    assertThat(r).hasToString("[10-15, 25-40]");
    assertThat(r.overlaps(14, 16)).isTrue();
    assertThat(r.overlaps(15, 25)).isFalse();
    assertThat(r.covers(25, 40)).isTrue();
    assertThat(r.covers(24, 26)).isFalse();
    assertThat(r.complement(50)).hasToString("[0-10, 15-25, 40-50]");
    assertThat(r.take(3)).containsExactly(10, 13);
    assertThat(r).hasToString("[13-15, 25-40]");
  }

  @Test
  void at_most_the_largest_ranges_are_listed() {
    RangeSet r = new RangeSet();
    r.add(0, 1);
    r.add(10, 100);
    r.add(200, 210);
    assertThat(r.toArray(2)).containsExactly(10, 100, 200, 210);
    assertThat(RangeSet.of(r.toArray())).hasToString(r.toString());
  }

  @Test
  void random_operations_agree_with_a_bitmap() {
    Random random = new Random(11);
    boolean[] bits = new boolean[500];
    RangeSet r = new RangeSet();
    for (int i = 0; i < 5000; i++) {
      int a = random.nextInt(500);
      int b = Math.min(500, a + random.nextInt(40));
      if (random.nextBoolean()) {
        r.add(a, b);
        for (int k = a; k < b; k++) {
          bits[k] = true;
        }
      } else {
        r.remove(a, b);
        for (int k = a; k < b; k++) {
          bits[k] = false;
        }
      }
      int c = random.nextInt(500);
      int d = Math.min(500, c + 1 + random.nextInt(40));
      boolean any = false;
      boolean all = true;
      long size = 0;
      for (int k = 0; k < 500; k++) {
        size += bits[k] ? 1 : 0;
      }
      for (int k = c; k < d; k++) {
        any |= bits[k];
        all &= bits[k];
      }
      assertThat(r.overlaps(c, d)).as("overlaps %d-%d after %d operations", c, d, i).isEqualTo(any);
      assertThat(r.covers(c, d)).as("covers %d-%d", c, d).isEqualTo(all);
      assertThat(r.size()).isEqualTo(size);
    }
  }
}
