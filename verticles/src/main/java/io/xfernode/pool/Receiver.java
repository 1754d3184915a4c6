package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.filter.Digests;
import io.xfernode.pool.wire.DataPiece;
import io.xfernode.pool.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving end of one transfer's hop over a pool: it takes the transfer's channels (one per stream,
 * on any connections, so on several contexts), checks every piece of DATA against the credit granted and
 * the bytes already held, and hands it to its {@link Output}. Once every stream has sent EOF and every
 * byte below the total is held, it has the output verify the checksum the sender gave, and then
 * acknowledges EOF on every channel; a mismatch aborts the transfer with 422.
 *
 * <p>Flow control: each stream gets {@code window / streams} bytes of credit, given back as the output
 * consumes bytes, so the receiver never holds more than the window. State shared by the channels is
 * guarded by this object's lock; frames are sent on each channel's own context.
 */
public final class Receiver {

  private static final Logger log = LoggerFactory.getLogger(Receiver.class);

  /** The least credit a stream gets, however many streams share the window. */
  static final int MIN_CREDIT = 64 * 1024;
  /** How long a stream whose connection broke may take to come back on another, with resume. */
  static final long REOPEN_GRACE_MS = 10_000;

  /** Where a piece came from: told when the output has consumed its bytes, it gives the credit back. */
  public interface Origin {
    /** The context the pieces from here arrive on: their connection's. */
    Context context();

    /** The output consumed {@code n} bytes that came from here; from any thread. */
    void consumed(long n);
  }

  /** Where the bytes go: a file written by offset, or a stream that needs them in order. */
  public interface Output {
    /**
     * Called once, with the first DATA_START: the transfer's total (or -1) and the source's identity.
     *
     * @return the ranges already held from an earlier attempt at the same source, which the sender skips
     */
    RangeSet begin(long total, String source);

    /**
     * Takes a piece (on its connection's context) and releases it once consumed, telling its
     * {@link Origin#consumed} then.
     */
    void write(Origin from, DataPiece piece);

    /**
     * Every byte below {@code total} has been received: completes once they are all consumed, with the
     * checksum ("algorithm:hex") of what the output holds when {@code algorithm} is not null.
     */
    Future<String> finish(long total, String algorithm);

    /** The transfer failed: drop and release whatever is queued. */
    void fail(Throwable cause);
  }

  /** One channel of the transfer: one stream, on one connection. */
  public final class Chan implements ChannelEnd, Origin {
    final PoolConnection connection;
    final int id;
    final int stream;
    /** Credit granted and not used yet; on the connection's context only. */
    long credit;
    final AtomicLong owed = new AtomicLong();
    boolean eof;
    boolean lost;

    Chan(PoolConnection connection, int id, int stream, long credit) {
      this.connection = connection;
      this.id = id;
      this.stream = stream;
      this.credit = credit;
    }

    @Override
    public Context context() {
      return connection.context();
    }

    /** Credit goes back in lumps, from the connection's context. */
    @Override
    public void consumed(long n) {
      long now = owed.addAndGet(n);
      if (now >= perStream / 4) {
        OnContext.run(connection.context(), this::giveCredit);
      }
    }

    /** On the connection's context: what the output consumed goes back to the sender as credit. */
    private void giveCredit() {
      long give = owed.getAndSet(0);
      if (give > 0 && !eof && !lost && connection.isOpen()) {
        credit += give;
        connection.send(new Frame.Credit(id, (int) give));
      }
    }

    @Override
    public void onFrame(Frame frame) {
      if (frame instanceof Frame.Eof e) {
        onEof(this, e);
      } else if (frame instanceof Frame.Abort abort) {
        fail(new XferException(abort.code(), "the sender " + connection.peer() + " aborted: " + abort.reason()),
          false);
      } else {
        fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + connection.peer() + " sent an unexpected "
          + frame.getClass().getSimpleName()), true);
      }
    }

    @Override
    public void onData(DataPiece piece) {
      onPiece(this, piece);
    }

    @Override
    public void onConnectionLost(String reason) {
      streamLost(this, reason);
    }
  }

  private final Vertx vertx;
  private final String transfer;
  private final int streams;
  private final int perStream;
  private final byte[] token;
  private final boolean resume;
  /** The checksum the transfer asked for, which every EOF must carry; null for none. */
  private final String algorithm;
  private final Output output;
  private final Runnable forget;
  private final Promise<Void> completion = Promise.promise();
  private final Chan[] chans;
  private final RangeSet received = new RangeSet();
  private long total = -1;
  private String checksum;
  private volatile String verified;
  private boolean begun;
  private boolean finishing;
  private boolean finished;
  private long reopenTimer = -1;

  /**
   * @param window the bytes in flight the transfer may have, shared by its streams
   * @param resume whether a stream whose connection broke may come back on another connection
   * @param forget called once when the transfer ends either way: the pools forget it
   */
  Receiver(Vertx vertx, String transfer, int streams, int window, byte[] token, boolean resume, String algorithm,
           Output output, Runnable forget) {
    this.algorithm = algorithm;
    this.vertx = vertx;
    this.transfer = transfer;
    this.streams = streams;
    this.perStream = Math.max(MIN_CREDIT, window / streams);
    this.token = token.clone();
    this.resume = resume;
    this.output = output;
    this.forget = forget;
    this.chans = new Chan[streams];
  }

  public String transfer() {
    return transfer;
  }

  boolean tokenMatches(byte[] presented) {
    return MessageDigest.isEqual(token, presented);
  }

  /** Completes once every byte was consumed, verified and acknowledged; fails when the transfer breaks. */
  public Future<Void> completion() {
    return completion.future();
  }

  /** The checksum ("algorithm:hex") the sender gave and the output verified, once done; null without one. */
  public String checksum() {
    return verified;
  }

  /** The bytes received so far in this attempt. */
  public synchronized long received() {
    return received.size();
  }

  /** Takes a DATA_START whose token matched, on its connection's context. */
  void accept(PoolConnection connection, Frame.DataStart start) {
    Frame refusal = null;
    long[] held = null;
    Chan chan = null;
    synchronized (this) {
      if (finished) {
        refusal = new Frame.DataNo(start.channel(), ErrorCode.CONFLICT, "transfer " + transfer + " has ended");
      } else if (start.streams() != streams) {
        refusal = new Frame.DataNo(start.channel(), ErrorCode.BAD_REQUEST, "transfer " + transfer + " takes "
          + streams + " streams, not " + start.streams());
      } else if (chans[start.stream()] != null && !chans[start.stream()].lost && !resume) {
        refusal = new Frame.DataNo(start.channel(), ErrorCode.CONFLICT, "stream " + start.stream() + " of "
          + transfer + " is open already");
      } else if (total >= 0 && start.total() >= 0 && start.total() != total) {
        refusal = new Frame.DataNo(start.channel(), ErrorCode.BAD_REQUEST, "stream " + start.stream()
          + " says the transfer has " + start.total() + " bytes, another " + total);
      } else {
        if (begun && total < 0) {
          // streams opened before the sender knew the total say so; one opened after tells it
          total = start.total();
        }
        if (!begun) {
          begun = true;
          total = start.total();
          // held are only the ranges DATA_YES can name: the sender sends the others again, and they are
          // written over with the same bytes
          long[] already = output.begin(start.total(), start.source()).toArray(Frame.DataYes.MAX_RANGES);
          for (int i = 0; i < already.length; i += 2) {
            received.add(already[i], already[i + 1]);
          }
        }
        Chan before = chans[start.stream()];
        if (before != null && !before.lost) {
          // with resume, a sender opens a stream again only once its connection broke: this side may not have
          // heard yet; whatever the old channel still delivers is dropped, and DATA_YES says what is held
          before.lost = true;
          before.connection.context().runOnContext(v -> before.connection.unregister(before.id));
        }
        chan = new Chan(connection, start.channel(), start.stream(), perStream);
        chans[start.stream()] = chan;
        if (reopenTimer >= 0 && allLive()) {
          vertx.cancelTimer(reopenTimer);
          reopenTimer = -1;
        }
        held = received.toArray(Frame.DataYes.MAX_RANGES);
      }
    }
    if (refusal != null) {
      connection.send(refusal);
      return;
    }
    connection.registerPeer(start.channel(), chan);
    connection.send(new Frame.DataYes(start.channel(), perStream, held));
  }

  private boolean allLive() {
    for (Chan c : chans) {
      if (c != null && c.lost) {
        return false;
      }
    }
    return true;
  }

  private void onPiece(Chan chan, DataPiece piece) {
    int n = piece.length();
    if (n > chan.credit) {
      piece.bytes().release();
      fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + chan.connection.peer() + " sent " + n
        + " bytes with " + chan.credit + " of credit"), true);
      return;
    }
    chan.credit -= n;
    long at = piece.offset();
    String wrong = null;
    synchronized (this) {
      if (finished || chan.lost) {
        wrong = "";
      } else if (total >= 0 && at + n > total) {
        wrong = "bytes " + at + " to " + (at + n) + " lie beyond the end, " + total;
      } else if (received.overlaps(at, at + n)) {
        wrong = "bytes " + at + " to " + (at + n) + " overlap bytes already held";
      } else {
        received.add(at, at + n);
      }
    }
    if (wrong != null) {
      piece.bytes().release();
      if (!wrong.isEmpty()) {
        fail(new XferException(ErrorCode.CHECKSUM_MISMATCH, "the sender " + chan.connection.peer() + " sent "
          + wrong), true);
      }
      return;
    }
    output.write(chan, piece);
    maybeFinish();
  }

  private void onEof(Chan chan, Frame.Eof eof) {
    XferException wrong = null;
    synchronized (this) {
      if (finished) {
        return;
      }
      if (total >= 0 && total != eof.total()) {
        wrong = new XferException(ErrorCode.UNAVAILABLE, "the streams of " + transfer + " disagree on the total: "
          + total + " and " + eof.total());
      } else if (received.overlaps(eof.total(), Long.MAX_VALUE)) {
        wrong = new XferException(ErrorCode.CHECKSUM_MISMATCH, "EOF at " + eof.total() + " but bytes beyond it arrived");
      } else if (checksum != null && !checksum.equals(eof.checksum())) {
        wrong = new XferException(ErrorCode.CHECKSUM_MISMATCH, "the streams of " + transfer
          + " disagree on the checksum");
      } else if (!eof.checksum().isEmpty() && eof.checksum().indexOf(':') <= 0) {
        wrong = new XferException(ErrorCode.UNAVAILABLE, "EOF carries a checksum without its algorithm");
      } else if (algorithm != null && !eof.checksum().startsWith(algorithm + ":")) {
        wrong = new XferException(ErrorCode.CHECKSUM_MISMATCH, "options.checksum: the transfer asked for "
          + algorithm + ", but the sender's EOF carries " + (eof.checksum().isEmpty() ? "none" : eof.checksum()));
      } else if (!eof.checksum().isEmpty()
        && !Digests.ALGORITHMS.contains(eof.checksum().substring(0, eof.checksum().indexOf(':')))) {
        wrong = new XferException(ErrorCode.UNAVAILABLE, "EOF carries a checksum of an unknown algorithm: "
          + eof.checksum());
      } else {
        total = eof.total();
        checksum = eof.checksum();
        chan.eof = true;
      }
    }
    if (wrong != null) {
      fail(wrong, true);
      return;
    }
    maybeFinish();
  }

  /** Every stream ended and every byte arrived: let the output finish, verify, acknowledge. */
  private void maybeFinish() {
    String alg;
    long t;
    synchronized (this) {
      if (finishing || finished || total < 0 || !allEof() || !received.covers(0, total)) {
        return;
      }
      finishing = true;
      alg = checksum.isEmpty() ? null : checksum.substring(0, checksum.indexOf(':'));
      t = total;
    }
    output.finish(t, alg).onComplete(ar -> {
      if (ar.failed()) {
        fail(XferException.from(ar.cause()), true);
        return;
      }
      if (alg != null && !checksum.equalsIgnoreCase(ar.result())) {
        fail(new XferException(ErrorCode.CHECKSUM_MISMATCH, "options.checksum: the " + alg
          + " of the bytes sent is " + value(checksum) + " but of the bytes received is " + value(ar.result())), true);
        return;
      }
      List<Chan> all;
      synchronized (this) {
        if (finished) {
          return;
        }
        finished = true;
        verified = alg == null ? null : ar.result();
        all = List.of(chans);
      }
      for (Chan c : all) {
        c.connection.context().runOnContext(v -> {
          c.connection.send(new Frame.EofAck(c.id, t));
          c.connection.unregister(c.id);
        });
      }
      forget.run();
      completion.tryComplete();
    });
  }

  private boolean allEof() {
    for (Chan c : chans) {
      if (c == null || !c.eof) {
        return false;
      }
    }
    return true;
  }

  private static String value(String checksum) {
    return checksum == null ? "none" : checksum.substring(checksum.indexOf(':') + 1);
  }

  private void streamLost(Chan chan, String reason) {
    synchronized (this) {
      if (finished || chans[chan.stream] != chan) {
        return;
      }
      chan.lost = true;
      if (resume && !chan.eof) {
        log.debug("transfer {}: stream {} lost its connection ({}); it may come back on another", transfer,
          chan.stream, reason);
        if (reopenTimer < 0) {
          reopenTimer = vertx.setTimer(REOPEN_GRACE_MS, t -> fail(new XferException(ErrorCode.UNAVAILABLE,
            "stream " + chan.stream + " of " + transfer + " did not come back within " + REOPEN_GRACE_MS / 1000
              + " s after its connection to " + chan.connection.peer() + " broke: " + reason), true));
        }
        return;
      }
      if (chan.eof) {
        return;
      }
    }
    fail(new XferException(ErrorCode.UNAVAILABLE, reason), true);
  }

  /** Ends the transfer from this side: every sender sees an ABORT with {@code reason}. */
  public void abort(String reason) {
    fail(new XferException(ErrorCode.UNAVAILABLE, "aborted: " + reason), true);
  }

  /** Ends the transfer from this side with {@code cause} (e.g. the output could not write): senders see it. */
  public void fail(Throwable cause) {
    fail(XferException.from(cause), true);
  }

  private void fail(XferException e, boolean tellSenders) {
    List<Chan> all;
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      all = new ArrayList<>();
      for (Chan c : chans) {
        if (c != null) {
          all.add(c);
        }
      }
      if (reopenTimer >= 0) {
        vertx.cancelTimer(reopenTimer);
      }
    }
    for (Chan c : all) {
      c.connection.context().runOnContext(v -> {
        if (tellSenders && !c.lost) {
          c.connection.send(new Frame.Abort(c.id, e.code(), String.valueOf(e.getMessage())));
        }
        c.connection.unregister(c.id);
      });
    }
    output.fail(e);
    forget.run();
    completion.tryFail(e);
  }
}
