package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * A file's range to send: pieces are regions of it, sent by the kernel ({@code sendfile}); any stream can
 * send any of them, so nothing is assigned ahead.
 */
final class FileWork implements Work {

  /** The largest region sent in one DATA frame. */
  static final int CHUNK = 1 << 20;

  private final long total;
  private final RangeSet pending = new RangeSet();
  private final List<Runnable> idle = new ArrayList<>();
  private long skipped;

  FileWork(long total) {
    this.total = total;
    pending.add(0, total);
  }

  @Override
  public synchronized Piece take(int max) {
    long[] r = pending.take(Math.min(max, CHUNK));
    return r == null ? null : new Piece(r[0], (int) (r[1] - r[0]), null);
  }

  @Override
  public long requeue(Iterable<Piece> pieces, RangeSet held) {
    List<Runnable> wake;
    long back = 0;
    synchronized (this) {
      for (Piece p : pieces) {
        for (long[] gap : held.gaps(p.offset(), p.end())) {
          pending.add(gap[0], gap[1]);
          back += gap[1] - gap[0];
        }
      }
      wake = new ArrayList<>(idle);
      idle.clear();
    }
    wake.forEach(Runnable::run);
    return back;
  }

  @Override
  public synchronized long skip(RangeSet held) {
    long before = pending.size();
    long[] flat = held.toArray();
    for (int i = 0; i < flat.length; i += 2) {
      pending.remove(flat[i], flat[i + 1]);
    }
    skipped += before - pending.size();
    return before - pending.size();
  }

  @Override
  public synchronized long skipped() {
    return skipped;
  }

  @Override
  public synchronized boolean exhausted() {
    return pending.isEmpty();
  }

  @Override
  public synchronized boolean empty() {
    return pending.isEmpty();
  }

  @Override
  public long total() {
    return total;
  }

  @Override
  public synchronized void idle(Runnable wake) {
    idle.add(wake);
  }

  @Override
  public void close() {
  }
}
