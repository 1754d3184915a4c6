package io.xfernode.transfer;

import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that move a transfer's bytes for its whole run (a PULL chain's end, a glue's copy loop): one
 * bounded, named pool per node. A transfer reserves, when it is set up on a node, the threads its plan says
 * its elements there need ({@code cost.threads}); a node without enough left refuses it with 429. So a
 * transfer that runs never waits for a thread that another transfer holds, and two threads of one transfer
 * that wait on each other always both run.
 *
 * <p>Short blocking calls (opening a file, a rename) do not come from here: they go to Vert.x's worker pool.
 */
public final class StreamThreads {

  /** Idle threads end after this. */
  static final long KEEP_ALIVE_SECONDS = 10;

  private final int capacity;
  private final AtomicInteger reserved = new AtomicInteger();
  private final ThreadPoolExecutor pool;

  public StreamThreads(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    AtomicInteger n = new AtomicInteger();
    // core = max and an unbounded queue: a task never waits as long as reservations hold
    this.pool = new ThreadPoolExecutor(capacity, capacity, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "xfer-stream-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
    pool.allowCoreThreadTimeOut(true);
  }

  public int capacity() {
    return capacity;
  }

  /** @return the threads running a transfer's work now */
  public int busy() {
    return pool.getActiveCount();
  }

  /** @return the threads reserved by the transfers set up on this node */
  public int reserved() {
    return reserved.get();
  }

  /**
   * Reserves {@code n} threads for one transfer on this node.
   *
   * @throws XferException 429 when fewer than {@code n} are left
   */
  public Reservation reserve(String transfer, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("negative reservation");
    }
    if (!take(n)) {
      throw new XferException(ErrorCode.AT_CAPACITY, "transfer " + transfer + " needs " + n + " stream thread"
        + (n == 1 ? "" : "s") + " on this node, and only " + (capacity - reserved.get()) + " of " + capacity
        + " are free; retry later");
    }
    return new Reservation(n);
  }

  private boolean take(int n) {
    while (true) {
      int now = reserved.get();
      if (now + n > capacity) {
        return false;
      }
      if (reserved.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  /** Threads held by one transfer; {@link #release()} gives back what is left once it has ended. */
  public final class Reservation {
    private final AtomicInteger left;
    private final AtomicInteger held;

    private Reservation(int n) {
      this.left = new AtomicInteger(n);
      this.held = new AtomicInteger(n);
    }

    /**
     * Runs {@code task} on a thread of the pool, counted against this reservation; past it, a thread is
     * taken from what the node has left.
     *
     * @throws XferException 429 when neither has a thread left
     */
    public void execute(Runnable task) {
      if (left.getAndUpdate(v -> v > 0 ? v - 1 : 0) == 0) {
        if (!take(1)) {
          throw new XferException(ErrorCode.AT_CAPACITY, "no stream thread is free on this node; retry later");
        }
        held.incrementAndGet();
      }
      pool.execute(task);
    }

    /** Gives the threads back; idempotent. */
    public void release() {
      int n = held.getAndSet(0);
      left.set(0);
      reserved.addAndGet(-n);
    }
  }

  /** Stops the pool's idle threads; running ones end with their transfers. */
  public void shutdown() {
    pool.shutdown();
  }
}
