package io.xfernode.link;

import io.vertx.core.Handler;
import io.vertx.core.streams.ReadStream;

/**
 * A read stream in front of another that can be cut off: once {@link #close()}d, nothing more reaches its
 * handlers and pause, resume and fetch do nothing. Vert.x's pipe may still resume its source after it was
 * closed (a drain already on its way); an {@code AsyncFile} then throws "File handle is closed".
 */
public final class ClosableReadStream<T> implements ReadStream<T> {

  private final ReadStream<T> source;
  private volatile boolean closed;

  public ClosableReadStream(ReadStream<T> source) {
    this.source = source;
  }

  /** Cuts the stream off; call it on the source's context, before closing the source. */
  public void close() {
    closed = true;
    source.handler(null);
    source.endHandler(null);
    source.exceptionHandler(t -> { });
  }

  @Override
  public ReadStream<T> exceptionHandler(Handler<Throwable> handler) {
    if (!closed) {
      source.exceptionHandler(handler == null ? null : t -> {
        if (!closed) {
          handler.handle(t);
        }
      });
    }
    return this;
  }

  @Override
  public ReadStream<T> handler(Handler<T> handler) {
    if (!closed) {
      source.handler(handler == null ? null : item -> {
        if (!closed) {
          handler.handle(item);
        }
      });
    }
    return this;
  }

  @Override
  public ReadStream<T> pause() {
    if (!closed) {
      source.pause();
    }
    return this;
  }

  @Override
  public ReadStream<T> resume() {
    if (!closed) {
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<T> fetch(long amount) {
    if (!closed) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<T> endHandler(Handler<Void> endHandler) {
    if (!closed) {
      source.endHandler(endHandler == null ? null : v -> {
        if (!closed) {
          endHandler.handle(null);
        }
      });
    }
    return this;
  }
}
