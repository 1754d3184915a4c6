package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

/**
 * A write of {@code count} bytes, or of everything until {@link #end()} ({@link ReadOp#UNBOUNDED}), into a
 * sink such as a socket (SPEC 1.4). It is itself a {@link WriteStream}, with the sink's backpressure; it
 * reports WRITE_READY when the sink can take more after it was full, WRITE_COMPLETE only once every byte
 * was handed on (the sink completed every write: for a socket, the kernel has them), and ERROR when the
 * sink fails, the writer gives more than the count, or ends short of it. Use it on the sink's context.
 */
public final class WriteOp implements WriteStream<Buffer> {

  /** Hears what the write reports; {@link #error()} is set for ERROR. */
  @FunctionalInterface
  public interface Listener {
    void on(StreamEvent event, WriteOp op);
  }

  private final WriteStream<Buffer> sink;
  private final long count;
  private final Listener listener;
  private final Promise<Void> completion = Promise.promise();
  private long progress;
  private long handed;
  private boolean ending;
  private StreamEvent ended;
  private Throwable error;
  private Handler<Void> drainHandler;
  private Handler<Throwable> exceptionHandler;

  public WriteOp(WriteStream<Buffer> sink, long count, Listener listener) {
    this.sink = sink;
    this.count = count;
    this.listener = listener == null ? (e, op) -> { } : listener;
    sink.exceptionHandler(this::fail);
  }

  public long count() {
    return count;
  }

  /** The bytes written into the operation so far. */
  public long progress() {
    return progress;
  }

  /** The bytes the sink has taken for good (for a socket: handed to the kernel). */
  public long handed() {
    return handed;
  }

  public StreamEvent ended() {
    return ended;
  }

  public Throwable error() {
    return error;
  }

  /** Completes on WRITE_COMPLETE, fails on ERROR. */
  public Future<Void> completion() {
    return completion.future();
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (ended != null) {
      return Future.failedFuture(error != null ? error : new IllegalStateException("the write has ended"));
    }
    if (ending) {
      return Future.failedFuture(new IllegalStateException("the write is ending"));
    }
    if (count != ReadOp.UNBOUNDED && progress + data.length() > count) {
      XferException e = new XferException(ErrorCode.INTERNAL, "a write of " + count + " bytes was given "
        + (progress + data.length()));
      fail(e);
      return Future.failedFuture(e);
    }
    progress += data.length();
    int n = data.length();
    return sink.write(data).andThen(ar -> {
      if (ar.succeeded()) {
        handed += n;
        maybeComplete();
      } else {
        fail(ar.cause());
      }
    });
  }

  /** No more bytes: WRITE_COMPLETE once the sink has them all; ERROR if a bounded write is short. */
  @Override
  public Future<Void> end() {
    if (ended == null && !ending) {
      ending = true;
      if (count != ReadOp.UNBOUNDED && progress < count) {
        fail(new XferException(ErrorCode.INTERNAL, "a write of " + count + " bytes ended after " + progress));
      } else {
        maybeComplete();
      }
    }
    return completion.future();
  }

  private void maybeComplete() {
    boolean all = count == ReadOp.UNBOUNDED ? ending : progress == count;
    if (ended == null && all && handed == progress) {
      ended = StreamEvent.WRITE_COMPLETE;
      listener.on(ended, this);
      completion.tryComplete();
    }
  }

  /** Ends the write abnormally: ERROR, and nothing more goes to the sink. */
  public void fail(Throwable cause) {
    if (ended == null) {
      error = cause;
      ended = StreamEvent.ERROR;
      listener.on(ended, this);
      completion.tryFail(cause);
      Handler<Throwable> h = exceptionHandler;
      if (h != null) {
        h.handle(cause);
      }
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    sink.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return sink.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    sink.drainHandler(handler == null ? null : v -> {
      if (ended == null) {
        listener.on(StreamEvent.WRITE_READY, this);
      }
      Handler<Void> h = drainHandler;
      if (h != null) {
        h.handle(null);
      }
    });
    return this;
  }
}
