package io.xfernode.transfer;

import io.xfernode.plan.Step;

import java.util.List;

/**
 * What a transfer's steps have moved, as they report it, summed up the way SPEC 2.3 counts: {@link #in()} is
 * the source's bytes, which its {@code total} describes too, and {@link #out()} is what reached the step
 * nearest the sink, which filters may have made smaller (gzip) or larger (gunzip).
 */
final class ByteCounts {

  private final long[] moved;
  /** How many glue steps follow the source directly. */
  private final int glueAfterSource;

  ByteCounts(List<Step> steps) {
    moved = new long[steps.size()];
    int glue = 0;
    for (int i = 1; i < steps.size() && steps.get(i).isGlue(); i++) {
      glue++;
    }
    glueAfterSource = glue;
  }

  /** Step {@code index} has moved {@code bytes} so far. */
  void moved(int index, long bytes) {
    moved[index] = bytes;
  }

  /**
   * The source's bytes so far: what it reported itself, or, for one that moves nothing itself (a file
   * offered as a channel), what the glue right after it moved. Never what a filter made of them.
   */
  long in() {
    if (moved.length == 0 || moved[0] > 0) {
      return moved.length == 0 ? 0 : moved[0];
    }
    long max = 0;
    for (int i = 1; i <= glueAfterSource; i++) {
      max = Math.max(max, moved[i]);
    }
    return max;
  }

  /** What reached the step nearest the sink that has reported anything. */
  long out() {
    for (int i = moved.length - 1; i >= 0; i--) {
      if (moved[i] > 0) {
        return moved[i];
      }
    }
    return 0;
  }
}
