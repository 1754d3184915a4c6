package io.xfernode.link;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.Mechanism;

import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The PUSH link: a queue of buffers bounded in bytes, shared by a producer and a consumer that may run on
 * different event loops or threads. Buffers are passed by reference: no byte is copied.
 *
 * <p>Each side can use it asynchronously or blocking:
 * <ul>
 *   <li>producer: {@link #writer(Context)}, a {@link WriteStream} whose {@code writeQueueFull} turns true at
 *   the bound and whose drain handler runs on the producer's context; or {@link #put(Buffer)}, which blocks
 *   a worker thread while the ring is full;</li>
 *   <li>consumer: {@link #reader(Context)}, a {@link ReadStream} with pause/resume/fetch delivering on the
 *   consumer's context; or {@link #take()}, which blocks a worker thread while the ring is empty.</li>
 * </ul>
 * An event-loop producer with a blocking consumer is the PUSH→PULL glue of SPEC 1.1, for free.
 */
public final class Ring implements Link {

  private final long maxBytes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final ArrayDeque<Buffer> queue = new ArrayDeque<>();
  private long bytes;
  private boolean ended;
  private Throwable failure;

  // the asynchronous producer face
  private Context producer;
  private Handler<Void> drainHandler;
  private boolean drainWanted;

  // the asynchronous consumer face; its handlers are only touched on the consumer's context
  private Context consumer;
  private Handler<Buffer> dataHandler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private boolean deliveryScheduled;
  private boolean finalDelivered;

  /** @param maxBytes the bytes the ring holds before the producer must wait */
  public Ring(long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
    this.maxBytes = maxBytes;
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.PUSH;
  }

  /** @return the bytes held now */
  public long bufferedBytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  public long maxBytes() {
    return maxBytes;
  }

  // ---------------------------------------------------------------- producer

  /** Blocks while the ring is full. @throws InterruptedException when the ring failed or the thread was interrupted */
  public void put(Buffer buffer) throws InterruptedException {
    lock.lock();
    try {
      while (bytes >= maxBytes && failure == null) {
        notFull.await();
      }
      checkFailed();
      if (ended) {
        throw new IllegalStateException("the ring has ended");
      }
      enqueue(buffer);
    } finally {
      lock.unlock();
    }
    scheduleDelivery();
  }

  /** Ends the stream after the buffers already queued. */
  public void end() {
    lock.lock();
    try {
      if (ended) {
        return;
      }
      ended = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    scheduleDelivery();
  }

  /** @return the producer face, whose drain handler runs on {@code context} */
  public WriteStream<Buffer> writer(Context context) {
    lock.lock();
    try {
      producer = context;
    } finally {
      lock.unlock();
    }
    return new Writer();
  }

  private void enqueue(Buffer buffer) {
    queue.add(buffer);
    bytes += buffer.length();
    notEmpty.signal();
  }

  private void checkFailed() throws InterruptedException {
    if (failure != null) {
      InterruptedException e = new InterruptedException("cancelled: " + failure.getMessage());
      e.initCause(failure);
      throw e;
    }
  }

  // ---------------------------------------------------------------- consumer

  /**
   * Blocks while the ring is empty.
   *
   * @return the next buffer, or {@code null} at the end of the stream
   */
  public Buffer take() throws InterruptedException {
    Buffer buffer;
    lock.lock();
    try {
      while (queue.isEmpty() && !ended && failure == null) {
        notEmpty.await();
      }
      checkFailed();
      buffer = dequeue();
    } finally {
      lock.unlock();
    }
    return buffer;
  }

  /** @return the consumer face, delivering on {@code context} */
  public ReadStream<Buffer> reader(Context context) {
    lock.lock();
    try {
      consumer = context;
    } finally {
      lock.unlock();
    }
    return new Reader();
  }

  /** Must hold the lock. Wakes a blocked producer, and an asynchronous one once half the room is free. */
  private Buffer dequeue() {
    Buffer buffer = queue.poll();
    if (buffer != null) {
      bytes -= buffer.length();
      notFull.signal();
      maybeDrain();
    }
    return buffer;
  }

  /** Must hold the lock. Calls the producer's drain handler once half the room is free again. */
  private void maybeDrain() {
    if (drainWanted && drainHandler != null && producer != null && bytes <= maxBytes / 2) {
      drainWanted = false;
      producer.runOnContext(drainHandler);
    }
  }

  private void scheduleDelivery() {
    Context target;
    lock.lock();
    try {
      if (consumer == null || deliveryScheduled) {
        return;
      }
      deliveryScheduled = true;
      target = consumer;
    } finally {
      lock.unlock();
    }
    target.runOnContext(v -> deliver());
  }

  /** Runs on the consumer's context: hands buffers to the handler while there is demand. */
  private void deliver() {
    while (true) {
      Buffer buffer;
      Handler<Buffer> handler;
      Handler<Void> onEnd = null;
      Handler<Throwable> onError = null;
      Throwable error = null;
      lock.lock();
      try {
        handler = dataHandler;
        if (finalDelivered) {
          deliveryScheduled = false;
          return;
        }
        if (failure != null) {
          finalDelivered = true;
          deliveryScheduled = false;
          onError = exceptionHandler;
          error = failure;
          buffer = null;
        } else if (handler == null || demand == 0) {
          deliveryScheduled = false;
          return;
        } else {
          buffer = dequeue();
          if (buffer == null) {
            deliveryScheduled = false;
            if (!ended) {
              return;
            }
            finalDelivered = true;
            onEnd = endHandler;
          } else if (demand != Long.MAX_VALUE) {
            demand--;
          }
        }
      } finally {
        lock.unlock();
      }
      if (error != null) {
        if (onError != null) {
          onError.handle(error);
        }
        return;
      }
      if (buffer == null) {
        if (onEnd != null) {
          onEnd.handle(null);
        }
        return;
      }
      handler.handle(buffer);
    }
  }

  // ---------------------------------------------------------------- both

  @Override
  public void fail(Throwable cause) {
    Handler<Void> drain = null;
    Context prod;
    lock.lock();
    try {
      if (failure != null) {
        return;
      }
      failure = cause;
      queue.clear();
      bytes = 0;
      notEmpty.signalAll();
      notFull.signalAll();
      prod = producer;
      if (drainWanted) {
        drainWanted = false;
        drain = drainHandler;
      }
    } finally {
      lock.unlock();
    }
    if (drain != null && prod != null) {
      prod.runOnContext(drain);
    }
    scheduleDelivery();
  }

  private final class Writer implements WriteStream<Buffer> {

    private Handler<Throwable> exceptionHandler;

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public Future<Void> write(Buffer data) {
      lock.lock();
      try {
        if (failure != null) {
          return Future.failedFuture(failure);
        }
        if (ended) {
          return Future.failedFuture(new IllegalStateException("the ring has ended"));
        }
        enqueue(data);
      } finally {
        lock.unlock();
      }
      scheduleDelivery();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
      lock.lock();
      try {
        if (failure != null) {
          return Future.failedFuture(failure);
        }
      } finally {
        lock.unlock();
      }
      Ring.this.end();
      return Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this; // the bound is the ring's, set by the engine
    }

    @Override
    public boolean writeQueueFull() {
      lock.lock();
      try {
        boolean full = bytes >= maxBytes && failure == null;
        if (full) {
          drainWanted = true;
        }
        return full;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      lock.lock();
      try {
        drainHandler = handler;
        if (handler != null) {
          drainWanted = true;
          // the consumer may have emptied the ring between writeQueueFull() and now
          maybeDrain();
        }
      } finally {
        lock.unlock();
      }
      return this;
    }
  }

  private final class Reader implements ReadStream<Buffer> {

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      lock.lock();
      try {
        exceptionHandler = handler;
      } finally {
        lock.unlock();
      }
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      lock.lock();
      try {
        dataHandler = handler;
      } finally {
        lock.unlock();
      }
      if (handler != null) {
        scheduleDelivery();
      }
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      lock.lock();
      try {
        demand = 0;
      } finally {
        lock.unlock();
      }
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      return fetch(Long.MAX_VALUE);
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      lock.lock();
      try {
        demand = amount == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      } finally {
        lock.unlock();
      }
      scheduleDelivery();
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
      lock.lock();
      try {
        endHandler = handler;
      } finally {
        lock.unlock();
      }
      scheduleDelivery();
      return this;
    }
  }
}
