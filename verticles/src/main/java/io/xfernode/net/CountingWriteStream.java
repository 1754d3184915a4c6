package io.xfernode.net;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.function.LongConsumer;

/**
 * A write stream that reports the bytes of each buffer before handing it to another one, keeping that
 * stream's backpressure: so that an element that pipes can report progress without a handler of its own.
 */
public final class CountingWriteStream implements WriteStream<Buffer> {

  private final WriteStream<Buffer> target;
  private final LongConsumer counted;

  /** @param counted called with the length of each buffer written */
  public CountingWriteStream(WriteStream<Buffer> target, LongConsumer counted) {
    this.target = target;
    this.counted = counted;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    target.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    counted.accept(data.length());
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
