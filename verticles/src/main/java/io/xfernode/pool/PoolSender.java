package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.ArrayList;
import java.util.List;

/**
 * One transfer's bytes, as a {@link WriteStream}, spread over its streams' channels: chunk {@code k} goes
 * to stream {@code k mod n}, tagged with its offset, so the receiver can put the chunks back in order.
 * It is full while any channel is full. {@link #end()} completes once the receiver acknowledged every
 * byte on every stream. Use it on the pools' context.
 */
public final class PoolSender implements WriteStream<Buffer> {

  private final List<Outbound> outs;
  private final String checksum;
  private long offset;
  private int next;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;
  private boolean failed;

  /** @param checksum "" or "algorithm:hex", given with EOF */
  public PoolSender(List<Outbound> outs, String checksum) {
    this.outs = List.copyOf(outs);
    this.checksum = checksum;
    for (Outbound o : outs) {
      o.acknowledged().onFailure(this::failed);
    }
  }

  /** Bytes written so far. */
  public long written() {
    return offset;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (failed) {
      return outs.get(0).acknowledged().failed() ? outs.get(0).acknowledged()
        : Future.failedFuture("the transfer's pool channels failed");
    }
    for (int at = 0; at < data.length(); at += Outbound.CHUNK) {
      Buffer piece = data.slice(at, Math.min(data.length(), at + Outbound.CHUNK));
      // the piece's place is taken before it is handed on, so that nothing the write sets off can take it too
      long place = offset;
      Outbound target = outs.get(next);
      offset += piece.length();
      next = (next + 1) % outs.size();
      target.write(place, piece);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    List<Future<Void>> acks = new ArrayList<>();
    for (Outbound o : outs) {
      acks.add(o.end(offset, checksum));
    }
    return Future.all(acks).mapEmpty();
  }

  /** Ends every stream abnormally; the receiver sees an error. */
  public void abort(String reason) {
    outs.forEach(o -> o.abort(reason));
  }

  @Override
  public boolean writeQueueFull() {
    return outs.stream().anyMatch(Outbound::writeQueueFull);
  }

  @Override
  public PoolSender drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    for (Outbound o : outs) {
      if (o.writeQueueFull()) {
        o.drainHandler(v -> drained());
      }
    }
    return this;
  }

  private void drained() {
    if (drainHandler != null && (failed || !writeQueueFull())) {
      Handler<Void> h = drainHandler;
      drainHandler = null;
      h.handle(null);
    }
  }

  @Override
  public PoolSender exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public PoolSender setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  private void failed(Throwable t) {
    if (!failed) {
      failed = true;
      outs.forEach(o -> o.abort(t.getMessage()));
      if (exceptionHandler != null) {
        exceptionHandler.handle(t);
      }
      drained();
    }
  }
}
