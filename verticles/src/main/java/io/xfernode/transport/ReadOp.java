package io.xfernode.transport;

import io.vertx.core.buffer.Buffer;

/**
 * A read of {@code count} bytes, or of everything ({@link #UNBOUNDED}), with its progress (SPEC 1.4). The
 * stream's bytes are fed in; the listener hears READ_READY with each part that belongs to the read,
 * READ_COMPLETE once {@code count} bytes were read, EOS when the stream ended first, or ERROR. Bytes beyond
 * the count are handed back for whoever reads next. Not thread-safe: use it on one context.
 */
public final class ReadOp {

  public static final long UNBOUNDED = Long.MAX_VALUE;

  /** Hears what the read reports; {@code data} is set for READ_READY, {@link #error()} for ERROR. */
  @FunctionalInterface
  public interface Listener {
    void on(StreamEvent event, ReadOp op, Buffer data);
  }

  private final long count;
  private final Listener listener;
  private long progress;
  private StreamEvent ended;
  private Throwable error;

  public ReadOp(long count, Listener listener) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    this.count = count;
    this.listener = listener;
    if (count == 0) {
      finish(StreamEvent.READ_COMPLETE);
    }
  }

  public long count() {
    return count;
  }

  /** The bytes read so far. */
  public long progress() {
    return progress;
  }

  /** How the read ended, or null while it goes on. */
  public StreamEvent ended() {
    return ended;
  }

  public Throwable error() {
    return error;
  }

  /**
   * Feeds the stream's next bytes.
   *
   * @return the bytes beyond the count, which are not this read's; null when there are none
   */
  public Buffer data(Buffer bytes) {
    if (ended != null) {
      return bytes.length() == 0 ? null : bytes;
    }
    long room = count - progress;
    Buffer mine = bytes.length() <= room ? bytes : bytes.slice(0, (int) room);
    Buffer rest = bytes.length() <= room ? null : bytes.slice((int) room, bytes.length());
    progress += mine.length();
    if (mine.length() > 0) {
      listener.on(StreamEvent.READ_READY, this, mine);
    }
    if (progress == count && ended == null) {
      finish(StreamEvent.READ_COMPLETE);
    }
    return rest;
  }

  /** The stream ended: EOS, unless the count was reached already (or nothing was asked). */
  public void end() {
    if (ended == null) {
      finish(StreamEvent.EOS);
    }
  }

  /** The stream failed, or the read is aborted: ERROR. */
  public void fail(Throwable cause) {
    if (ended == null) {
      error = cause;
      finish(StreamEvent.ERROR);
    }
  }

  /** Whether the stream ended before the count: for a bounded read, the bytes are short. */
  public boolean endedShort() {
    return ended == StreamEvent.EOS && count != UNBOUNDED && progress < count;
  }

  private void finish(StreamEvent how) {
    ended = how;
    listener.on(how, this, null);
  }
}
