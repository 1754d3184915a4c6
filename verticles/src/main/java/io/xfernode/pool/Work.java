package io.xfernode.pool;

import io.xfernode.link.RangeSet;

/**
 * What a sender's streams have left to send, shared by them all (they run on several contexts): each
 * stream takes the next piece when it has credit, so a faster connection simply takes more. A piece sent
 * on a connection that broke comes back with {@link #requeue}.
 */
interface Work {

  /**
   * @param max the most bytes the stream may take now (its credit, at most a chunk)
   * @return the next piece, or null when there is nothing for now
   */
  Piece take(int max);

  /**
   * Gives back pieces a broken connection carried, without the bytes the receiver holds of them (it said so
   * when the stream opened again); the next taker sends the rest again.
   *
   * @return the bytes given back, which will be sent a second time
   */
  long requeue(Iterable<Piece> pieces, RangeSet held);

  /**
   * Drops what the receiver holds already (from DATA_YES): those bytes are never sent.
   *
   * @return the bytes this dropped that were still to send
   */
  long skip(RangeSet held);

  /** The bytes never sent because the receiver held them already (resume). */
  long skipped();

  /** Whether every byte has been taken and none will come: the streams may send EOF. */
  boolean exhausted();

  /** Whether there is nothing to take now (more may come, unless {@link #exhausted()}). */
  boolean empty();

  /** The transfer's total, once known; -1 before. */
  long total();

  /** Called when a stream has nothing to do: it is woken when work comes. */
  void idle(Runnable wake);

  /** Releases whatever is queued; the transfer ended. */
  void close();
}
