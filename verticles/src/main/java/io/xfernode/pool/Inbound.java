package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The receiving end of one transfer over a pool: it takes the transfer's channels (one per stream, on
 * any connections), puts each DATA frame in its place by offset and emits the bytes in order. It never
 * holds more than the pool's window: each channel gets {@code window / streams} bytes of credit, and
 * credit goes back to the sender only as bytes leave through {@link #handler}. It acknowledges EOF once
 * it has emitted every byte below the total. Use it on its connections' context.
 */
public final class Inbound implements ReadStream<Buffer> {

  private final class Chan implements ChannelEnd {
    final PoolConnection connection;
    final int id;
    long credit;
    long owed;
    boolean eof;

    Chan(PoolConnection connection, int id, long credit) {
      this.connection = connection;
      this.id = id;
      this.credit = credit;
    }

    @Override
    public void onFrame(Frame frame) {
      if (frame instanceof Frame.Data data) {
        onData(this, data);
      } else if (frame instanceof Frame.Eof eof) {
        onEof(this, eof);
      } else if (frame instanceof Frame.Abort abort) {
        fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + connection.peer() + " aborted: "
          + abort.reason()), false);
      } else {
        fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + connection.peer() + " sent an unexpected "
          + frame.getClass().getSimpleName()), true);
      }
    }

    @Override
    public void onConnectionLost(String reason) {
      fail(new XferException(ErrorCode.UNAVAILABLE, reason), true);
    }
  }

  private record Piece(Chan chan, Buffer data) {
  }

  /** The least credit a stream gets, however many streams share the window. */
  static final int MIN_CREDIT = 16 * 1024;

  private final String transfer;
  private final int streams;
  private final long perStream;
  private final Runnable release;
  private final List<Chan> chans = new ArrayList<>();
  private final TreeMap<Long, Piece> early = new TreeMap<>();
  private final ArrayDeque<Piece> ready = new ArrayDeque<>();
  private final Promise<Void> completion = Promise.promise();
  private long next;
  private long total = -1;
  private String checksum = "";
  private long demand = Long.MAX_VALUE;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean finished;

  /** @param release called once, when the transfer ends either way: it forgets the transfer */
  Inbound(String transfer, int streams, int window, Runnable release) {
    this.transfer = transfer;
    this.streams = streams;
    this.perStream = Math.max(MIN_CREDIT, window / streams);
    this.release = release;
  }

  public String transfer() {
    return transfer;
  }

  /** Completes once every byte was emitted and acknowledged; fails when the transfer breaks or aborts. */
  public Future<Void> completion() {
    return completion.future();
  }

  /** The checksum the sender gave with EOF ("" or "algorithm:hex"), once ended. */
  public String checksum() {
    return checksum;
  }

  /** Bytes emitted in order so far. */
  public long received() {
    return next;
  }

  /** Takes a DATA_START whose token matched; refuses it when the transfer has all its streams or ended. */
  void accept(PoolConnection connection, Frame.DataStart start) {
    if (finished) {
      connection.send(new Frame.DataNo(start.channel(), "transfer " + transfer + " has ended"));
    } else if (chans.size() >= streams || start.streams() != streams) {
      connection.send(new Frame.DataNo(start.channel(), "transfer " + transfer + " takes " + streams
        + " streams"));
    } else {
      Chan chan = new Chan(connection, start.channel(), perStream);
      chans.add(chan);
      connection.registerPeer(start.channel(), chan);
      connection.send(new Frame.DataYes(start.channel(), (int) perStream));
    }
  }

  /** Ends the transfer from this side: every sender sees an ABORT with {@code reason}. */
  public void abort(String reason) {
    fail(new XferException(ErrorCode.UNAVAILABLE, "aborted: " + reason), true, reason);
  }

  private void onData(Chan chan, Frame.Data data) {
    int n = data.payload().length();
    if (n > chan.credit) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + chan.connection.peer() + " sent " + n
        + " bytes with " + chan.credit + " of credit"), true);
      return;
    }
    chan.credit -= n;
    long at = data.offset();
    Map.Entry<Long, Piece> before = early.floorEntry(at);
    Long after = early.ceilingKey(at);
    boolean overlaps = at < next
      || (before != null && before.getKey() + before.getValue().data().length() > at)
      || (after != null && after < at + n)
      || (total >= 0 && at + n > total);
    if (overlaps) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "the sender " + chan.connection.peer() + " sent bytes "
        + at + " to " + (at + n) + ", which overlap bytes received or lie beyond the end"), true);
      return;
    }
    early.put(at, new Piece(chan, data.payload()));
    while (!early.isEmpty() && early.firstKey() == next) {
      Piece p = early.pollFirstEntry().getValue();
      ready.add(p);
      next += p.data().length();
    }
    deliver();
  }

  private void onEof(Chan chan, Frame.Eof eof) {
    if (total >= 0 && total != eof.total()) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "the streams of " + transfer + " disagree on the total: "
        + total + " and " + eof.total()), true);
      return;
    }
    if (eof.total() < next || (!early.isEmpty() && early.lastKey() + early.lastEntry().getValue().data().length()
      > eof.total())) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "EOF at " + eof.total() + " but bytes beyond it arrived"), true);
      return;
    }
    total = eof.total();
    checksum = eof.checksum();
    chan.eof = true;
    deliver();
  }

  private void deliver() {
    while (handler != null && demand > 0 && !ready.isEmpty() && !finished) {
      Piece p = ready.poll();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      giveBack(p.chan(), p.data().length());
      handler.handle(p.data());
    }
    if (!finished && ready.isEmpty() && total >= 0 && next == total && chans.size() == streams
      && chans.stream().allMatch(c -> c.eof)) {
      finished = true;
      for (Chan c : chans) {
        c.connection.send(new Frame.EofAck(c.id, total));
        c.connection.unregister(c.id);
      }
      release.run();
      completion.tryComplete();
      if (endHandler != null) {
        endHandler.handle(null);
      }
    }
  }

  /** Returns credit for bytes that left, in lumps of at least a quarter of the stream's share. */
  private void giveBack(Chan chan, int n) {
    chan.owed += n;
    if (chan.owed >= perStream / 4 && !chan.eof) {
      chan.connection.send(new Frame.Credit(chan.id, (int) chan.owed));
      chan.credit += chan.owed;
      chan.owed = 0;
    }
  }

  private void fail(XferException e, boolean tellSenders) {
    fail(e, tellSenders, e.getMessage());
  }

  private void fail(XferException e, boolean tellSenders, String reason) {
    if (finished) {
      return;
    }
    finished = true;
    for (Chan c : chans) {
      if (tellSenders) {
        c.connection.send(new Frame.Abort(c.id, reason));
      }
      c.connection.unregister(c.id);
    }
    early.clear();
    ready.clear();
    release.run();
    completion.tryFail(e);
    if (exceptionHandler != null) {
      exceptionHandler.handle(e);
    }
  }

  // ---- ReadStream

  @Override
  public Inbound exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public Inbound handler(Handler<Buffer> handler) {
    this.handler = handler;
    deliver();
    return this;
  }

  @Override
  public Inbound pause() {
    demand = 0;
    return this;
  }

  @Override
  public Inbound resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public Inbound fetch(long amount) {
    demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
    deliver();
    return this;
  }

  @Override
  public Inbound endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }
}
