package io.xfernode.pool;

import io.xfernode.link.RangeSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.filter.Digests;
import io.xfernode.pool.wire.DataPiece;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.LongConsumer;
import io.xfernode.link.RestartMarkers;

/**
 * A receiver's output into a file: each piece is written at its own offset, straight from the buffer the
 * socket read it into, so parallel streams need no reordering. The writes happen on one thread of the
 * transfer's ({@link #run()}), never on an event loop; the queue in front of it is bounded by the credit
 * the receiver grants. To verify a checksum it reads back what it wrote.
 */
public final class FileOutput implements Receiver.Output {

  /** The buffer the written file is read back through to verify it. */
  static final int VERIFY_BUFFER = 1 << 20;

  private record Item(Receiver.Origin from, DataPiece piece) {
  }

  private record Finish(long total, String algorithm, Promise<String> result) {
  }

  private static final Object STOP = new Object();

  private final FileChannel file;
  private final long base;
  private final RestartMarkers markers;
  private final LongConsumer progress;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean failed;
  private volatile String verified;

  /**
   * @param base    where byte 0 of the transfer goes in the file
   * @param markers  the file's restart markers, or null without resume
   * @param progress told the bytes written, from the writer's thread
   */
  public FileOutput(FileChannel file, long base, RestartMarkers markers, LongConsumer progress) {
    this.file = file;
    this.base = base;
    this.markers = markers;
    this.progress = progress;
  }

  @Override
  public RangeSet begin(long total, String source) {
    return markers == null ? new RangeSet() : markers.resume(total, source);
  }

  @Override
  public void write(Receiver.Origin from, DataPiece piece) {
    if (failed) {
      piece.bytes().release();
      return;
    }
    queue.add(new Item(from, piece));
  }

  @Override
  public Future<String> finish(long total, String algorithm) {
    Promise<String> result = Promise.promise();
    queue.add(new Finish(total, algorithm, result));
    return result.future();
  }

  @Override
  public void fail(Throwable cause) {
    failed = true;
    queue.add(STOP);
  }

  /** "disk" once the checksum was verified by reading the file back. */
  public String verified() {
    return verified;
  }

  /**
   * The writer: takes pieces until the transfer finishes or fails, on a thread of the transfer's own.
   *
   * @return the bytes written
   */
  public long run() throws Exception {
    long written = 0;
    try {
      while (true) {
        Object next = queue.take();
        if (next instanceof Item item) {
          written += write(item);
        } else if (next instanceof Finish f) {
          try {
            f.result().complete(f.algorithm() == null ? null : f.algorithm() + ":" + digest(f.total(), f.algorithm()));
            verified = f.algorithm() == null ? null : "disk";
          } catch (IOException e) {
            f.result().fail(e);
          }
          return written;
        } else {
          return written;
        }
      }
    } finally {
      drain();
    }
  }

  private long write(Item item) throws IOException {
    DataPiece piece = item.piece();
    int n = piece.length();
    try {
      long at = base + piece.offset();
      for (ByteBuffer b : piece.bytes().nioBuffers()) {
        while (b.hasRemaining()) {
          at += file.write(b, at);
        }
      }
    } finally {
      piece.bytes().release();
    }
    if (markers != null) {
      markers.written(piece.offset(), piece.offset() + n);
    }
    item.from().consumed(n);
    progress.accept(n);
    return n;
  }

  /** Reads back {@code total} bytes from {@code base}: the checksum of what the file holds. */
  private String digest(long total, String algorithm) throws IOException {
    Digests.Digest d = Digests.create(algorithm);
    ByteBuffer b = ByteBuffer.allocateDirect((int) Math.min(VERIFY_BUFFER, Math.max(1, total)));
    long at = 0;
    while (at < total) {
      b.clear().limit((int) Math.min(b.capacity(), total - at));
      int n = file.read(b, base + at);
      if (n < 0) {
        throw new EOFException("the file being written ends at byte " + at + " of " + total);
      }
      b.flip();
      d.update(b);
      at += n;
    }
    return d.hex();
  }

  private void drain() {
    Object o;
    while ((o = queue.poll()) != null) {
      if (o instanceof Item item) {
        item.piece().bytes().release();
      } else if (o instanceof Finish f) {
        f.result().tryFail("the transfer failed");
      }
    }
  }
}
