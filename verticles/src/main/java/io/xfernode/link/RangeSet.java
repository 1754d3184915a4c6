package io.xfernode.link;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Byte ranges {@code [start, end)}, kept sorted and merged: what a receiver holds, what a sender has still
 * to send. Not thread-safe.
 */
public final class RangeSet {

  private final TreeMap<Long, Long> ranges = new TreeMap<>();
  private long size;

  public static RangeSet of(long[] pairs) {
    RangeSet r = new RangeSet();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      r.add(pairs[i], pairs[i + 1]);
    }
    return r;
  }

  /** Adds {@code [start, end)}, merging it with what touches it. */
  public void add(long start, long end) {
    if (start >= end) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
      size -= before.getValue() - before.getKey();
      ranges.remove(before.getKey());
    }
    Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
    while (next != null && next.getKey() <= end) {
      end = Math.max(end, next.getValue());
      size -= next.getValue() - next.getKey();
      ranges.remove(next.getKey());
      next = ranges.ceilingEntry(start);
    }
    ranges.put(start, end);
    size += end - start;
  }

  /** Removes {@code [start, end)}. */
  public void remove(long start, long end) {
    if (start >= end) {
      return;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    if (e == null || e.getValue() <= start) {
      e = ranges.higherEntry(start);
    }
    while (e != null && e.getKey() < end) {
      long s = e.getKey();
      long t = e.getValue();
      ranges.remove(s);
      size -= t - s;
      if (s < start) {
        ranges.put(s, start);
        size += start - s;
      }
      if (t > end) {
        ranges.put(end, t);
        size += t - end;
      }
      e = ranges.higherEntry(s);
    }
  }

  /** @return whether any byte of {@code [start, end)} is in the set */
  public boolean overlaps(long start, long end) {
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    if (e != null && e.getValue() > start) {
      return true;
    }
    Long next = ranges.higherKey(start);
    return next != null && next < end;
  }

  /** @return whether every byte of {@code [start, end)} is in the set */
  public boolean covers(long start, long end) {
    if (start >= end) {
      return true;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    return e != null && e.getValue() >= end;
  }

  /** @return the bytes in the set */
  public long size() {
    return size;
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  /** @return the first range, as {@code {start, end}}, or null */
  public long[] first() {
    Map.Entry<Long, Long> e = ranges.firstEntry();
    return e == null ? null : new long[]{e.getKey(), e.getValue()};
  }

  /** Takes up to {@code max} bytes off the start of the first range. @return {@code {start, end}} or null */
  public long[] take(long max) {
    Map.Entry<Long, Long> e = ranges.firstEntry();
    if (e == null) {
      return null;
    }
    long end = Math.min(e.getValue(), e.getKey() + max);
    remove(e.getKey(), end);
    return new long[]{e.getKey(), end};
  }

  /** @return the parts of {@code [start, end)} not in this set, as {@code {start, end}} pairs, in order */
  public List<long[]> gaps(long start, long end) {
    List<long[]> out = new ArrayList<>();
    long at = start;
    Map.Entry<Long, Long> e = ranges.floorEntry(start);
    if (e != null && e.getValue() > at) {
      at = e.getValue();
    }
    for (Map.Entry<Long, Long> r : ranges.subMap(start, false, end, false).entrySet()) {
      if (r.getKey() > at) {
        out.add(new long[]{at, Math.min(r.getKey(), end)});
      }
      at = Math.max(at, r.getValue());
    }
    if (at < end) {
      out.add(new long[]{at, end});
    }
    return out;
  }

  /** @return {@code [0, total)} without this set */
  public RangeSet complement(long total) {
    RangeSet out = new RangeSet();
    long at = 0;
    for (Map.Entry<Long, Long> e : ranges.entrySet()) {
      if (e.getKey() >= total) {
        break;
      }
      out.add(at, e.getKey());
      at = e.getValue();
    }
    out.add(at, total);
    return out;
  }

  /** @return {@code [start, end)} pairs, flattened, at most {@code maxRanges} of them (the largest kept) */
  public long[] toArray(int maxRanges) {
    List<long[]> list = new ArrayList<>();
    ranges.forEach((s, t) -> list.add(new long[]{s, t}));
    if (list.size() > maxRanges) {
      // keep the largest: leaving a range out only means its bytes are sent again
      list.sort((a, b) -> Long.compare(b[1] - b[0], a[1] - a[0]));
      list.subList(maxRanges, list.size()).clear();
      list.sort((a, b) -> Long.compare(a[0], b[0]));
    }
    long[] out = new long[2 * list.size()];
    for (int i = 0; i < list.size(); i++) {
      out[2 * i] = list.get(i)[0];
      out[2 * i + 1] = list.get(i)[1];
    }
    return out;
  }

  public long[] toArray() {
    return toArray(Integer.MAX_VALUE);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    ranges.forEach((s, t) -> b.append(b.length() > 1 ? ", " : "").append(s).append('-').append(t));
    return b.append(']').toString();
  }
}
