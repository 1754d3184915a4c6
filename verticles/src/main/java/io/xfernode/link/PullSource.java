package io.xfernode.link;

import io.vertx.core.buffer.Buffer;

/**
 * The PULL mechanism: the downstream calls {@link #pull()} from its own worker thread, one call at a time.
 * A PULL-to-PULL filter wraps its upstream's source, so a chain of pulls runs on the thread at its end.
 */
@FunctionalInterface
public interface PullSource {

  /**
   * Blocks until the next buffer is available.
   *
   * @return the next bytes, or {@code null} at the end of the stream
   * @throws InterruptedException when the transfer is cancelled while waiting
   */
  Buffer pull() throws Exception;
}
