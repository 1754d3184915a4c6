package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;

import java.util.ArrayDeque;

/**
 * The sending end of one channel: one stream of a transfer. It sends DATA only within the credit the
 * receiver granted, queues at most {@link #MAX_QUEUED} bytes beyond it (then {@link #writeQueueFull()}),
 * and ends with EOF, complete once the receiver acknowledges holding every byte. Use it on its
 * connection's context.
 */
public final class Outbound implements ChannelEnd {

  /** The bytes a writer may queue before {@link #writeQueueFull()}. */
  static final int MAX_QUEUED = 1 << 20;
  /** The largest DATA payload this side sends. */
  static final int CHUNK = 256 * 1024;

  private record Piece(long offset, Buffer data) {
  }

  private final PoolConnection connection;
  private final String transfer;
  private final int channel;
  private final Promise<Void> opened = Promise.promise();
  private final Promise<Void> acked = Promise.promise();
  private final ArrayDeque<Piece> queue = new ArrayDeque<>();
  private long queued;
  private long credit;
  private long sent;
  private long total = -1;
  private String checksum;
  private boolean eofSent;
  private boolean sending;
  private Handler<Void> drainHandler;

  Outbound(PoolConnection connection, String transfer, int stream, int streams, byte[] token, long offset) {
    this.connection = connection;
    this.transfer = transfer;
    this.channel = connection.register(this);
    connection.send(new Frame.DataStart(channel, transfer, stream, streams, token, offset));
  }

  /** Completes when the receiver accepted the channel (DATA_YES), fails on DATA_NO or a lost connection. */
  public Future<Void> opened() {
    return opened.future();
  }

  /** Completes once the receiver holds every byte (EOF_ACK); fails when the channel ends otherwise. */
  public Future<Void> acknowledged() {
    return acked.future();
  }

  /** Bytes sent as DATA so far. */
  public long sent() {
    return sent;
  }

  public String describe() {
    return connection.describe() + " channel " + channel;
  }

  /** Queues {@code data}, which belongs at byte {@code offset} of the transfer. */
  public void write(long offset, Buffer data) {
    if (acked.future().isComplete() || total >= 0) {
      throw new IllegalStateException("channel " + channel + " of " + transfer + " has ended");
    }
    if (data.length() > 0) {
      queue.add(new Piece(offset, data));
      queued += data.length();
      send();
    }
  }

  public boolean writeQueueFull() {
    return queued >= MAX_QUEUED;
  }

  public void drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
  }

  /**
   * Ends the stream once the queue is sent: EOF with the transfer's {@code total} and {@code checksum}
   * ("" or "algorithm:hex").
   */
  public Future<Void> end(long total, String checksum) {
    this.total = total;
    this.checksum = checksum == null ? "" : checksum;
    send();
    return acked.future();
  }

  /** Ends the channel abnormally: the receiver sees an error. */
  public void abort(String reason) {
    if (!acked.future().isComplete()) {
      connection.send(new Frame.Abort(channel, reason));
      fail(new XferException(ErrorCode.UNAVAILABLE, "aborted: " + reason));
    }
  }

  @Override
  public void onFrame(Frame frame) {
    if (frame instanceof Frame.DataYes yes) {
      credit += yes.credit();
      opened.tryComplete();
      flush();
    } else if (frame instanceof Frame.Credit more) {
      credit += more.bytes();
      flush();
    } else if (frame instanceof Frame.DataNo no) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "the peer " + connection.peer() + " refused the channel: "
        + no.reason()));
    } else if (frame instanceof Frame.EofAck ack && eofSent && ack.total() == total) {
      connection.unregister(channel);
      acked.tryComplete();
    } else if (frame instanceof Frame.Abort abort) {
      fail(new XferException(ErrorCode.UNAVAILABLE, "the peer " + connection.peer() + " aborted: " + abort.reason()));
    } else {
      connection.send(new Frame.Abort(channel, "unexpected " + frame.getClass().getSimpleName()));
      fail(new XferException(ErrorCode.UNAVAILABLE, "the peer " + connection.peer() + " sent an unexpected "
        + frame.getClass().getSimpleName()));
    }
  }

  @Override
  public void onConnectionLost(String reason) {
    fail(new XferException(ErrorCode.UNAVAILABLE, reason));
  }

  @Override
  public void onWritable() {
    flush();
  }

  /** Sends what credit allows, then tells a waiting writer there is room: never from inside its own write. */
  private void flush() {
    send();
    if (!writeQueueFull() && drainHandler != null) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      h.handle(null);
    }
  }

  /**
   * Sends what credit allows. A socket write can call back into this channel at once (the connection
   * turning writable again runs its drain handler), so the queue is updated before each write and a
   * nested call does nothing: the outer loop goes on.
   */
  private void send() {
    if (sending) {
      return;
    }
    sending = true;
    try {
      while (credit > 0 && !queue.isEmpty() && !connection.writeQueueFull() && connection.isOpen()) {
        Piece head = queue.poll();
        int n = (int) Math.min(Math.min(head.data().length(), credit), Math.min(CHUNK, FrameCodec.MAX_PAYLOAD));
        if (n < head.data().length()) {
          queue.addFirst(new Piece(head.offset() + n, head.data().slice(n, head.data().length())));
        }
        credit -= n;
        queued -= n;
        sent += n;
        connection.send(new Frame.Data(channel, head.offset(), head.data().slice(0, n)));
      }
      if (queue.isEmpty() && total >= 0 && !eofSent && opened.future().succeeded()) {
        eofSent = true;
        connection.send(new Frame.Eof(channel, total, checksum));
      }
    } finally {
      sending = false;
    }
  }

  private void fail(XferException e) {
    connection.unregister(channel);
    queue.clear();
    queued = 0;
    opened.tryFail(e);
    acked.tryFail(e);
    if (drainHandler != null) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      h.handle(null);
    }
  }
}
