package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/** The connections of one pool with one peer, both directions, and those being opened. */
final class Peer {
  private final List<PoolConnection> open = new ArrayList<>();
  private final List<Future<PoolConnection>> opening = new ArrayList<>();

  /**
   * Where one more channel goes: an existing connection, one being opened, or {@code fresh}, a new one to
   * open; {@code extra} are more to open so that the pool keeps its minimum.
   */
  record Choice(PoolConnection existing, Future<PoolConnection> opening, Promise<PoolConnection> fresh,
                List<Promise<PoolConnection>> extra) {
  }

  synchronized List<PoolConnection> all() {
    open.removeIf(c -> !c.isOpen());
    return new ArrayList<>(open);
  }

  synchronized void add(PoolConnection c) {
    open.add(c);
    c.closeHandler(gone -> remove(gone));
  }

  /** Adds an accepted connection unless {@code max} are open or being opened. */
  synchronized boolean tryAdd(PoolConnection c, int max) {
    open.removeIf(x -> !x.isOpen());
    if (open.size() + opening.size() >= max) {
      return false;
    }
    add(c);
    return true;
  }

  private synchronized void remove(PoolConnection c) {
    open.remove(c);
  }

  synchronized void opened(Future<PoolConnection> f) {
    opening.remove(f);
  }

  synchronized PoolConnection leastBusy(Collection<PoolConnection> avoid) {
    PoolConnection best = null;
    for (PoolConnection c : open) {
      if (c.isOpen() && !avoid.contains(c) && (best == null || c.channelCount() < best.channelCount())) {
        best = c;
      }
    }
    return best;
  }

  /** Decides, atomically, where one more channel goes; the connections to open are counted at once. */
  synchronized Choice choose(Set<PoolConnection> avoid, int min, int max) {
    open.removeIf(c -> !c.isOpen());
    PoolConnection best = leastBusy(avoid);
    int count = open.size() + opening.size();
    PoolConnection existing = null;
    Future<PoolConnection> pending = null;
    Promise<PoolConnection> fresh = null;
    if (best != null && (best.channelCount() == 0 || count >= max)) {
      existing = best;
    } else if (count < max) {
      fresh = Promise.promise();
      opening.add(fresh.future());
      count++;
    } else if (!opening.isEmpty()) {
      pending = opening.get(0);
    } else {
      existing = leastBusy(Set.of());
    }
    List<Promise<PoolConnection>> extra = new ArrayList<>();
    for (; count < min; count++) {
      Promise<PoolConnection> more = Promise.promise();
      opening.add(more.future());
      extra.add(more);
    }
    return new Choice(existing, pending, fresh, extra);
  }

  /** The connections idle for {@code timeout}, oldest first, that may close while keeping {@code min}. */
  synchronized List<PoolConnection> idle(long now, long timeout, int min) {
    open.removeIf(c -> !c.isOpen());
    List<PoolConnection> idle = new ArrayList<>(open.stream().filter(c -> now - c.idleSince() > timeout).toList());
    idle.sort(java.util.Comparator.comparingLong(PoolConnection::idleSince));
    int removable = Math.max(0, open.size() - min);
    return idle.subList(0, Math.min(removable, idle.size()));
  }
}
