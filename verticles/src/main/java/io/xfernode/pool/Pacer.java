package io.xfernode.pool;

/**
 * Keeps a sender's streams together under a rate ({@code options.rateLimit}): a token bucket they all draw
 * from, so a file crossing a pool is paced without leaving the kernel's {@code sendfile}. The bucket holds
 * at most {@value #BURST_MS} ms of bytes. Thread-safe: the streams run on several contexts.
 */
final class Pacer {

  static final long BURST_MS = 50;
  /** The least a stream waits for before it asks again. */
  static final long MIN_WAIT_MS = 1;

  private final long rate;
  private final long burst;
  private final long minPiece;
  private double tokens;
  private long last = System.nanoTime();

  /** @param rate bytes per second, more than 0 */
  Pacer(long rate) {
    this.rate = rate;
    this.burst = Math.max(64 * 1024, rate * BURST_MS / 1000);
    this.minPiece = Math.min(64 * 1024, burst);
    this.tokens = burst;
  }

  /**
   * Takes up to {@code want} bytes' worth of tokens.
   *
   * @return the bytes the stream may send now; 0 when it should wait {@link #waitMs()} and ask again
   */
  synchronized long take(long want) {
    refill();
    if (tokens < Math.min(want, minPiece)) {
      return 0;
    }
    long granted = (long) Math.min(want, tokens);
    tokens -= granted;
    return granted;
  }

  /** Gives back tokens taken but not used. */
  synchronized void giveBack(long bytes) {
    tokens = Math.min(burst, tokens + bytes);
  }

  /** How long until a small piece may go. */
  synchronized long waitMs() {
    refill();
    double missing = minPiece - tokens;
    return Math.max(MIN_WAIT_MS, (long) Math.ceil(missing * 1000 / rate));
  }

  private void refill() {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - last) * (double) rate / 1e9);
    last = now;
  }
}
