package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The sending end of one transfer's hop over a pool: {@code streams} channels, each on the least busy
 * connection of the pool to the peer that this transfer does not use yet, so the streams run on several
 * event loops. Each stream, on its own connection's context, takes the next piece of the shared
 * {@link Work} whenever its credit allows: a region of a file (sent by {@code sendfile}) or a buffer.
 * Every stream ends with EOF, carrying the checksum when one was asked for; the hop is done once the
 * receiver acknowledged each.
 *
 * <p>With resume, a stream whose connection breaks opens again on another connection of the pool, learns
 * from DATA_YES what the receiver holds, and sends what it had in flight again, minus that.
 */
public final class Sender {

  private static final Logger log = LoggerFactory.getLogger(Sender.class);

  /** How often a stream tries another connection after its own broke (with resume). */
  static final int MAX_REOPENS = 3;
  /**
   * How many connections a stream may find closed before it sent anything on them: nothing is lost by
   * trying another, but a peer whose connections all close at once must not be tried forever.
   */
  static final int MAX_UNUSED = 8;

  private final Pools pools;
  private final PoolLink link;
  private final String transfer;
  private final String source;
  private final boolean resume;
  private final Work work;
  private final FileChannel file;
  private final long fileBase;
  private final Supplier<Future<String>> checksum;
  private java.util.function.LongConsumer progress = n -> { };
  private final Pacer pacer;
  private final Promise<Void> opened = Promise.promise();
  private final Promise<Void> done = Promise.promise();
  private final List<Stream> streams = new ArrayList<>();
  private int acked;
  private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
  /**
   * Bytes given back for a second sending after a connection broke, not yet sent again: the progress the
   * source reports counts each of its bytes once, so that much of what goes out next is not counted.
   */
  private final java.util.concurrent.atomic.AtomicLong resendOwed = new java.util.concurrent.atomic.AtomicLong();
  private volatile boolean failed;

  /**
   * @param file     the file a {@link FileWork}'s regions come from, or null for a {@link PushWork}
   * @param fileBase where byte 0 of the transfer is in {@code file}
   * @param checksum the checksum for EOF ("" or "algorithm:hex"), asked for once every byte was taken
   */
  Sender(Pools pools, PoolLink link, String transfer, String source, boolean resume, Work work, FileChannel file,
         long fileBase, Supplier<Future<String>> checksum) {
    this.pools = pools;
    this.link = link;
    this.transfer = transfer;
    this.source = source;
    this.resume = resume;
    this.work = work;
    this.file = file;
    this.fileBase = fileBase;
    this.checksum = checksum;
    this.pacer = link.rate() > 0 ? new Pacer(link.rate()) : null;
  }

  /** A sender whose bytes come from a PUSH input, which writes them into {@link #input()}. */
  public record Push(Sender sender, PushWork work, String algorithm) {
    public io.vertx.core.streams.WriteStream<io.vertx.core.buffer.Buffer> input() {
      return work;
    }

    /** "algorithm:hex" of every byte written, once ended; "" without a checksum. */
    public String checksum() {
      return work.checksum(algorithm);
    }
  }

  /**
   * @param context   the upstream's context, where {@link Push#input()} is written
   * @param maxQueued the bytes queued for the streams before the input reports itself full
   */
  public static Push push(Pools pools, PoolLink link, String transfer, io.vertx.core.Context context,
                          long maxQueued) {
    PushWork work = new PushWork(context, maxQueued, link.checksum());
    String[] memo = new String[1];
    Supplier<Future<String>> checksum = () -> {
      synchronized (memo) {
        if (memo[0] == null) {
          memo[0] = work.checksum(link.checksum());
        }
        return Future.succeededFuture(memo[0]);
      }
    };
    Sender sender = pools.sender(link, transfer, "", link.resume(), work, null, 0, checksum);
    return new Push(sender, work, link.checksum());
  }

  /**
   * A sender of {@code count} bytes of {@code file} from {@code position}, as regions sent by the kernel.
   *
   * @param checksum "algorithm:hex" of those bytes once computed, or "" without a checksum
   * @param source   what identifies the file's content (size, modification time), for resume
   */
  public static Sender file(Pools pools, PoolLink link, String transfer, FileChannel file, long position, long count,
                            Future<String> checksum, String source) {
    return pools.sender(link, transfer, source, link.resume(), new FileWork(count), file, position, () -> checksum);
  }

  /** The bytes handed to the connections so far, counting those sent again after a broken connection. */
  /** Takes up to {@code n} of the bytes owed for a resend; @return how many it took */
  private long owed(long n) {
    while (true) {
      long owed = resendOwed.get();
      long take = Math.min(owed, n);
      if (take == 0 || resendOwed.compareAndSet(owed, owed - take)) {
        return take;
      }
    }
  }

  public long sent() {
    return sent.sum();
  }

  /** The bytes never sent because the receiver held them already (resume). */
  public long skipped() {
    return work.skipped();
  }

  /** Told the bytes handed to the connections as they go, from their contexts. */
  public Sender progress(java.util.function.LongConsumer progress) {
    this.progress = progress;
    return this;
  }

  /** Opens every stream; completes once the first is open and its DATA_YES said what the receiver holds. */
  public Future<Void> open() {
    Set<PoolConnection> used = new HashSet<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < link.streams(); i++) {
      Stream s = new Stream(i);
      synchronized (streams) {
        streams.add(s);
      }
      // one after the other, so that each stream sees the connections the ones before took
      chain = chain.compose(v -> pools.connection(link.pool(), link.downNode(), used).map(c -> {
        used.add(c);
        s.start(c);
        return null;
      }));
    }
    chain.onFailure(this::fail);
    return opened.future();
  }

  /** Completes once the receiver acknowledged EOF on every stream; fails with the hop's first failure. */
  public Future<Void> done() {
    return done.future();
  }

  /** Ends every stream abnormally: the receiver sees an ABORT with {@code reason}. */
  public void abort(String reason) {
    fail(new XferException(ErrorCode.UNAVAILABLE, "aborted: " + reason));
  }

  private void fail(Throwable t) {
    if (failed) {
      return;
    }
    failed = true;
    XferException e = XferException.from(t);
    List<Stream> all;
    synchronized (streams) {
      all = new ArrayList<>(streams);
    }
    all.forEach(s -> s.abort(e));
    work.close();
    opened.tryFail(e);
    done.tryFail(e);
  }

  private void streamAcked() {
    boolean all;
    synchronized (streams) {
      all = ++acked == streams.size();
    }
    if (all) {
      work.close();
      done.tryComplete();
    }
  }

  /** One stream: a channel on one connection, run on that connection's context. */
  private final class Stream implements ChannelEnd {
    private final int index;
    private final ArrayDeque<Piece> unacked = new ArrayDeque<>();
    /** What this stream had in flight when its connection broke: sent again once DATA_YES says what is held. */
    private final List<Piece> lost = new ArrayList<>();
    private PoolConnection connection;
    private int channel;
    private long credit;
    private long ackedBytes;
    private boolean open;
    private boolean eofSent;
    private boolean pacedTimer;
    private boolean finished;
    private boolean sending;
    private boolean waiting;
    private int reopens;
    private int unused;
    /** The connections this stream lost or found closed: never chosen again for it. */
    private final Set<PoolConnection> dead = new java.util.HashSet<>();

    Stream(int index) {
      this.index = index;
    }

    void start(PoolConnection c) {
      c.context().runOnContext(v -> {
        if (failed) {
          return;
        }
        if (!c.isOpen()) {
          // it closed between being chosen and now: nothing was sent on it, so another will do
          another(c, "the connection closed before this stream used it");
          return;
        }
        connection = c;
        open = false;
        credit = 0;
        ackedBytes = 0;
        channel = c.register(this);
        c.send(new Frame.DataStart(channel, transfer, index, link.streams(), link.token(), work.total() < 0
          ? Frame.UNKNOWN : work.total(), source));
      });
    }

    @Override
    public void onFrame(Frame frame) {
      if (frame instanceof Frame.DataYes yes) {
        open = true;
        credit += yes.credit();
        RangeSet held = RangeSet.of(yes.held());
        if (!lost.isEmpty()) {
          resendOwed.addAndGet(work.requeue(lost, held));
          lost.clear();
        }
        long skipped = work.skip(held);
        if (skipped > 0) {
          progress.accept(skipped); // the source's bytes count, though the receiver had them already
        }
        opened.tryComplete();
        pump();
      } else if (frame instanceof Frame.Credit more) {
        credit += more.bytes();
        acknowledge(more.bytes());
        pump();
      } else if (frame instanceof Frame.EofAck) {
        finished = true;
        connection.unregister(channel);
        release();
        streamAcked();
      } else if (frame instanceof Frame.DataNo no) {
        connection.unregister(channel);
        fail(new XferException(no.code(), "the peer " + connection.peer() + " refused the channel: " + no.reason()));
      } else if (frame instanceof Frame.Abort abort) {
        connection.unregister(channel);
        fail(new XferException(abort.code(), "the receiver on " + connection.peer() + " aborted: " + abort.reason()));
      } else {
        connection.protocolError(frame.getClass().getSimpleName() + " on a sending channel");
      }
    }

    /** The receiver consumed {@code n} more bytes of this channel: they need not be kept for a resend. */
    private void acknowledge(long n) {
      ackedBytes += n;
      while (!unacked.isEmpty() && unacked.peek().length() <= ackedBytes) {
        Piece p = unacked.poll();
        ackedBytes -= p.length();
        p.release();
      }
    }

    @Override
    public void onWritable() {
      pump();
    }

    /** Sends pieces while credit and the socket allow; EOF once the work is done. */
    private void pump() {
      if (sending || !open || finished || failed || eofSent) {
        return;
      }
      sending = true;
      try {
        while (credit > 0 && !connection.writeQueueFull() && connection.isOpen()) {
          long may = Math.min(credit, Integer.MAX_VALUE);
          if (pacer != null) {
            may = pacer.take(Math.min(may, FileWork.CHUNK));
            if (may == 0) {
              paced();
              return;
            }
          }
          Piece p = work.take((int) may);
          if (pacer != null) {
            pacer.giveBack(may - (p == null ? 0 : p.length()));
          }
          if (p == null) {
            break;
          }
          credit -= p.length();
          send(p);
          sent.add(p.length());
          long fresh = p.length() - owed(p.length());
          if (fresh > 0) {
            progress.accept(fresh);
          }
        }
        if (!eofSent && work.exhausted()) {
          eofSent = true;
          long total = work.total();
          checksum.get().onComplete(ar -> connection.context().runOnContext(v -> {
            if (ar.failed()) {
              fail(ar.cause());
            } else if (!finished && !failed) {
              connection.send(new Frame.Eof(channel, total, ar.result()));
            }
          }));
        } else if (!work.exhausted() && !waiting && (credit > 0 || work.empty())
          && !(credit > 0 && !work.empty() && connection.writeQueueFull())) {
          // (a full socket with bytes still to send waits for onWritable, not for the work: that would spin)
          // with credit, for more bytes; without, for the end of the input: a stream whose credit ran out
          // with its last byte must still hear that no more will come, or its EOF waits for a credit frame
          waiting = true;
          work.idle(() -> connection.context().runOnContext(v -> {
            waiting = false;
            pump();
          }));
        }
      } finally {
        sending = false;
      }
    }

    /** Over the rate: pumps again once the pacer allows a piece. */
    private void paced() {
      if (pacedTimer) {
        return;
      }
      pacedTimer = true;
      connection.context().owner().setTimer(pacer.waitMs(), id -> connection.context().runOnContext(v -> {
        pacedTimer = false;
        pump();
      }));
    }

    private void send(Piece p) {
      if (p.data() == null) {
        long size;
        try {
          size = file.size();
        } catch (java.io.IOException e) {
          fail(e);
          return;
        }
        if (size < fileBase + p.end()) {
          // a region past the end would leave its frame short and the connection out of step
          fail(new XferException(ErrorCode.CONFLICT, "the file being sent shrank to " + size + " bytes"));
          return;
        }
        unacked.add(p); // before the write: a write that fails at once already finds it there to resend
        PoolConnection on = connection;
        on.sendRegion(channel, p.offset(), file, fileBase + p.offset(), p.length()).onFailure(t -> {
          // the frame's header went out without all of its payload: nothing on this connection is in step now.
          // Resetting it tells every stream on it, this one too, that it broke (503, or another connection
          // with resume), as when the peer goes away; that is what a region fails for when a node is killed
          // mid-write (ClosedChannelException), which once made a transfer fail with 500.
          log.warn("transfer {}: a file region did not go out ({}): resetting {}", transfer, t.getMessage(),
            on.describe());
          on.abort("a file region could not be sent: " + t);
        });
      } else {
        unacked.add(new Piece(p.offset(), p.length(), p.data().retainedDuplicate()));
        connection.sendData(channel, p.offset(), p.data());
      }
    }

    @Override
    public void onConnectionLost(String reason) {
      if (finished || failed) {
        return;
      }
      if (!open && unacked.isEmpty() && lost.isEmpty()) {
        // it broke before the stream was open: no byte of it was sent, so another connection will do
        another(connection, reason);
        return;
      }
      if (!resume || reopens >= MAX_REOPENS) {
        fail(new XferException(ErrorCode.UNAVAILABLE, "the connection to " + connection.peer() + " broke: " + reason));
        return;
      }
      reopens++;
      log.info("transfer {}: stream {} lost its connection to {} ({}): opening it again on another", transfer, index,
        connection.peer(), reason);
      lost.addAll(unacked);
      unacked.clear();
      eofSent = false;
      open = false;
      dead.add(connection);
      pools.connection(link.pool(), link.downNode(), Set.copyOf(dead)).onComplete(ar -> {
        if (ar.succeeded()) {
          start(ar.result());
        } else {
          fail(ar.cause());
        }
      });
    }

    /**
     * Opens this stream on a connection it has not found closed yet (the pool opens a new one when none is
     * left), {@value #MAX_UNUSED} times at most: nothing was sent on {@code closed}.
     */
    private void another(PoolConnection closed, String reason) {
      if (++unused > MAX_UNUSED) {
        fail(new XferException(ErrorCode.UNAVAILABLE, "no connection of pool " + link.pool() + " to "
          + link.downNode() + " stayed up: " + reason));
        return;
      }
      dead.add(closed);
      pools.connection(link.pool(), link.downNode(), Set.copyOf(dead)).onComplete(ar -> {
        if (ar.succeeded()) {
          start(ar.result());
        } else {
          fail(ar.cause());
        }
      });
    }

    void abort(XferException e) {
      PoolConnection c = connection;
      if (c == null) {
        return;
      }
      c.context().runOnContext(v -> {
        if (!finished && open) {
          c.send(new Frame.Abort(channel, e.code(), String.valueOf(e.getMessage())));
        }
        finished = true;
        c.unregister(channel);
        release();
      });
    }

    private void release() {
      unacked.forEach(Piece::release);
      unacked.clear();
      lost.forEach(Piece::release);
      lost.clear();
    }
  }
}
