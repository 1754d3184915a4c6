package io.xfernode.pool;

import io.xfernode.pool.wire.DataPiece;
import io.xfernode.pool.wire.Frame;

/** One end of a channel on a {@link PoolConnection}; it gets the channel's frames on the connection's context. */
interface ChannelEnd {

  void onFrame(Frame frame);

  /** Payload bytes of the channel; the end releases them. A sending end never gets any. */
  default void onData(DataPiece piece) {
    piece.bytes().release();
  }

  /** The connection broke or closed; the channel is gone with it. */
  void onConnectionLost(String reason);

  /** The connection can take writes again. */
  default void onWritable() {
  }
}
