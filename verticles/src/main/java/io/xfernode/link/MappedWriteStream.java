package io.xfernode.link;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.util.function.Function;

/**
 * A write stream that changes (or just looks at) each buffer before handing it to another one, keeping the
 * other one's backpressure.
 */
public final class MappedWriteStream implements WriteStream<Buffer> {

  private final WriteStream<Buffer> target;
  private final Function<Buffer, Buffer> map;

  public MappedWriteStream(WriteStream<Buffer> target, Function<Buffer, Buffer> map) {
    this.target = target;
    this.map = map;
  }

  /** @return a stream that reports the length of every buffer written through it to {@code counter} */
  public static WriteStream<Buffer> counting(WriteStream<Buffer> target, java.util.function.LongConsumer counter) {
    return new MappedWriteStream(target, b -> {
      counter.accept(b.length());
      return b;
    });
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    target.exceptionHandler(handler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    Buffer out = map.apply(data);
    return out == null || out.length() == 0 ? Future.succeededFuture() : target.write(out);
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
