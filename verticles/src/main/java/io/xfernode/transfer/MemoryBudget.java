package io.xfernode.transfer;

import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

/**
 * The bytes all transfers of a node may buffer together ({@code limits.maxBufferedBytes}, SPEC 5). Every
 * place a transfer holds bytes in memory on a node is one buffer: a ring between two PUSH elements, the
 * queue in front of a pool's streams, a receiver's window. When a transfer is set up, the node grants each
 * of its buffers the same size, a power of two: up to {@value #WANT} bytes, and together at most a
 * sixty-fourth of what is left, so grants shrink as the budget fills, down to {@value #MIN}; a transfer that
 * cannot get that much is refused with 429, so the node never buffers more than its budget. Thread-safe.
 */
public final class MemoryBudget {

  /** What a buffer gets while the budget allows: enough to keep a 10 Gbit/s link busy on a LAN. */
  public static final long WANT = 8L << 20;
  /** The least a buffer gets: one chunk as a source reads it ({@code NodeEnv.DEFAULT_CHUNK}). */
  public static final long MIN = 256L << 10;

  /** A transfer's buffers get at most this share of what is left, so that the first leave room for more. */
  static final int SHARES = 64;

  private final long limit;
  private long used;

  /** @param limit the node's budget, in bytes; at least {@link #MIN} */
  public MemoryBudget(long limit) {
    if (limit < MIN) {
      throw new IllegalArgumentException("a memory budget below " + MIN + " bytes");
    }
    this.limit = limit;
  }

  /** The budget for a JVM whose heap may grow to {@code maxHeap}: a quarter of it, at least 64 MiB. */
  public static long auto(long maxHeap) {
    return Math.max(64L << 20, maxHeap / 4);
  }

  public long limit() {
    return limit;
  }

  /** @return the bytes granted to the transfers set up on this node now */
  public synchronized long used() {
    return used;
  }

  /**
   * Grants each of {@code buffers} buffers of one transfer the same size.
   *
   * @throws XferException 429 when not even {@link #MIN} each is left
   */
  public Grant reserve(String transfer, int buffers) {
    if (buffers <= 0) {
      return new Grant(0, WANT);
    }
    synchronized (this) {
      long left = limit - used;
      long each = Math.max(MIN, Long.highestOneBit(Math.min(WANT, left / buffers / SHARES)));
      if (each * buffers <= left) {
        used += each * buffers;
        return new Grant(each * buffers, each);
      }
    }
    throw new XferException(ErrorCode.AT_CAPACITY, "transfer " + transfer + " needs " + buffers * MIN
      + " bytes of buffers on this node, and its memory budget (limits.maxBufferedBytes, " + limit
      + " bytes) is taken by other transfers; retry later");
  }

  /** What one transfer holds of the budget; released once, when it ends on the node. */
  public final class Grant {
    private final long bytes;
    private final long each;
    private boolean released;

    private Grant(long bytes, long each) {
      this.bytes = bytes;
      this.each = each;
    }

    /** The size of each of the transfer's buffers on this node. */
    public long each() {
      return each;
    }

    public void release() {
      synchronized (MemoryBudget.this) {
        if (!released) {
          released = true;
          used -= bytes;
        }
      }
    }
  }
}
