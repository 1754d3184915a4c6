package io.xfernode.link;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.function.LongConsumer;

/** A write stream that reports the length of every buffer written through it, keeping the target's backpressure. */
public final class CountingWriteStream implements WriteStream<Buffer> {

  private final WriteStream<Buffer> target;
  private final LongConsumer counter;

  public CountingWriteStream(WriteStream<Buffer> target, LongConsumer counter) {
    this.target = target;
    this.counter = counter;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    target.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    counter.accept(data.length());
    return target.write(data);
  }

  @Override
  public Future<Void> end() {
    return target.end();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    target.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return target.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    target.drainHandler(handler);
    return this;
  }
}
