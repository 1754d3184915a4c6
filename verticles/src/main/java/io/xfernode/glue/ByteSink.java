package io.xfernode.glue;

import io.vertx.core.buffer.Buffer;

/** Where a blocking glue loop writes: the downstream's ring, channel or socket. */
interface ByteSink {

  void write(Buffer buffer) throws Exception;

  /** The data is complete: end the stream, cleanly. */
  void finish() throws Exception;
}
