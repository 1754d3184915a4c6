package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

/**
 * Pipes a stream that lives on one context into a stream that lives on another, touching each only on
 * its own context. At most {@link #IN_FLIGHT} buffers are on their way between the two; the reader asks
 * for one more each time the writer took one and is not full, so backpressure holds across the hop.
 */
public final class CrossPipe {

  static final int IN_FLIGHT = 16;

  private CrossPipe() {
  }

  /**
   * @return completes, on {@code toCtx}, once {@code to.end()} completed after the last buffer; fails
   *         with the first failure of either stream
   */
  public static Future<Void> pipe(ReadStream<Buffer> from, Context fromCtx, WriteStream<Buffer> to, Context toCtx) {
    Promise<Void> result = Promise.promise();
    int[] owed = new int[1]; // fetches the writer owes the reader, while it is full; only on toCtx
    toCtx.runOnContext(v -> to.exceptionHandler(result::tryFail));
    fromCtx.runOnContext(v -> {
      from.pause();
      from.exceptionHandler(t -> toCtx.runOnContext(x -> result.tryFail(t)));
      from.endHandler(e -> toCtx.runOnContext(x -> {
        if (!result.future().isComplete()) {
          to.end().onComplete(ar -> {
            if (ar.succeeded()) {
              result.tryComplete();
            } else {
              result.tryFail(ar.cause());
            }
          });
        }
      }));
      from.handler(buffer -> toCtx.runOnContext(x -> {
        if (result.future().isComplete()) {
          return;
        }
        to.write(buffer);
        if (!to.writeQueueFull()) {
          fromCtx.runOnContext(y -> from.fetch(1));
          return;
        }
        owed[0]++;
        to.drainHandler(d -> {
          int n = owed[0];
          owed[0] = 0;
          fromCtx.runOnContext(y -> from.fetch(n));
        });
      }));
      from.fetch(IN_FLIGHT);
    });
    return result.future();
  }
}
