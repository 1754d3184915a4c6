package io.xfernode.file;

import io.vertx.core.Future;
import io.xfernode.element.ElementContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The small files of a tree being unpacked, written on the node's worker pool while the unpacking thread
 * reads on, one directory's files after each other and different directories' files at once. Creating a
 * file costs the file system far more than its few bytes (ext4 scans for an inode under the directory's
 * lock), so creations in one directory only queue for that lock, and spinning for it costs CPU; creations
 * in different directories run side by side. At most {@link #MAX_BYTES} of content is held here at any
 * moment, each file at most {@link #MAX_SIZE}: a larger file is written by the caller itself.
 */
final class SmallFileWrites {

  /** The largest file handed to the worker pool. */
  static final int MAX_SIZE = 64 * 1024;
  /** Content held at once, per tree. */
  static final int MAX_BYTES = 1024 * 1024;
  /** Directories whose writes are followed before the finished ones are forgotten. */
  private static final int PRUNE_AT = 64;

  private final ElementContext ctx;
  private final Semaphore free = new Semaphore(MAX_BYTES);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  /** The last write handed over in each directory; only the unpacking thread reads and changes it. */
  private final Map<Path, Future<Void>> last = new HashMap<>();
  private volatile boolean abandoned;

  SmallFileWrites(ElementContext ctx) {
    this.ctx = ctx;
  }

  /**
   * Writes {@code content} as a new file {@code target}, dated {@code mtime}, after the files handed over
   * before it in the same directory; waits while {@link #MAX_BYTES} are held.
   *
   * @throws IOException the first failure of an earlier write, if any
   */
  void write(Path target, byte[] content, long mtime) throws IOException, InterruptedException {
    int held = Math.max(1, content.length);
    free.acquire(held);
    rethrow();
    Path dir = target.getParent();
    Future<Void> before = last.getOrDefault(dir, Future.succeededFuture());
    if (last.size() >= PRUNE_AT) {
      last.values().removeIf(Future::isComplete);
    }
    last.put(dir, before.transform(ar -> abandoned ? skip(held) : ctx.blocking("write " + target.getFileName(), () -> {
      try {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          ByteBuffer b = ByteBuffer.wrap(content);
          while (b.hasRemaining()) {
            out.write(b);
          }
        }
        Files.setLastModifiedTime(target, FileTime.fromMillis(mtime));
        ctx.progress(content.length);
      } catch (IOException | RuntimeException e) {
        failure.compareAndSet(null, e);
      } finally {
        free.release(held);
      }
      return null;
    })));
  }

  /**
   * Waits until every write handed over has ended.
   *
   * @throws IOException the first write that failed
   */
  void awaitAll() throws IOException, InterruptedException {
    free.acquire(MAX_BYTES);
    free.release(MAX_BYTES);
    rethrow();
  }

  /**
   * Hands nothing more over and waits until the writes already handed over have ended: the unpacking
   * failed or was cancelled, and once it returns, nothing more is written into the tree.
   */
  void abandon() {
    abandoned = true;
    free.acquireUninterruptibly(MAX_BYTES);
    free.release(MAX_BYTES);
  }

  private Future<Void> skip(int held) {
    free.release(held);
    return Future.succeededFuture();
  }

  private void rethrow() throws IOException {
    Throwable t = failure.get();
    if (t instanceof IOException e) {
      throw e;
    }
    if (t != null) {
      throw (RuntimeException) t;
    }
  }
}
