package io.xfernode.pool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Turn-taking for the channels of one connection when its socket can take writes again: each round starts
 * one further along. A channel sends until the socket is full, which a single file region (or a few
 * buffers) does, so a round that always began with the same channel let it take the connection from the
 * others. Not thread-safe: one per connection, on its context.
 */
final class Turns {

  private int next;

  /** The order this round visits {@code items} in: a copy, so that the visit may change the collection. */
  <T> List<T> round(Collection<T> items) {
    List<T> all = new ArrayList<>(items);
    int n = all.size();
    if (n < 2) {
      return all;
    }
    int start = Math.floorMod(next++, n);
    List<T> order = new ArrayList<>(n);
    order.addAll(all.subList(start, n));
    order.addAll(all.subList(0, start));
    return order;
  }
}
