package io.xfernode.file;

import io.vertx.core.buffer.Buffer;
import io.xfernode.link.Buffers;
import io.xfernode.link.PullSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a directory tree as a {@link TreeArchive} stream, pulled chunk by chunk: at most one file is open
 * and one chunk in memory at a time.
 */
final class TreeWriter implements PullSource {

  private static final Logger log = LoggerFactory.getLogger(TreeWriter.class);

  /** A directory or regular file of the tree, in the order it is sent. */
  record Entry(String path, boolean dir, long mtime, long size, Path file) {
  }

  private final List<Entry> entries;
  private final int chunk;
  private final String field;
  private final java.util.function.LongConsumer progress;
  private final Runnable fileSent;
  private Entry openEntry;
  private int next;
  private boolean magicSent;
  private boolean endSent;
  private FileChannel open;
  private long remaining;
  private String openPath;

  /** @param field the source's path field, which a file that changes while it is read is reported under */
  TreeWriter(List<Entry> entries, int chunk, String field, java.util.function.LongConsumer progress) {
    this(entries, chunk, field, progress, () -> { });
  }

  /** @param fileSent called each time a file of the tree has been read whole and found unchanged */
  TreeWriter(List<Entry> entries, int chunk, String field, java.util.function.LongConsumer progress,
             Runnable fileSent) {
    this.fileSent = fileSent;
    this.entries = entries;
    this.chunk = chunk;
    this.field = field;
    this.progress = progress;
  }

  /** Lists {@code dir}'s tree in sorted order; symlinks are skipped, so nothing outside it is ever read. */
  static List<Entry> scan(Path dir) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (p.equals(dir)) {
          continue;
        }
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String rel = dir.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
        if (a.isDirectory()) {
          out.add(new Entry(rel, true, a.lastModifiedTime().toMillis(), 0, p));
        } else if (a.isRegularFile()) {
          out.add(new Entry(rel, false, a.lastModifiedTime().toMillis(), a.size(), p));
        } else {
          log.debug("skipping {}: not a regular file or directory", p);
        }
      }
    }
    return out;
  }

  /** @return the exact length of the stream for {@code entries} */
  static long streamSize(List<Entry> entries) {
    long n = TreeArchive.MAGIC.length + 1;
    for (Entry e : entries) {
      n += TreeArchive.headerSize(e.dir() ? TreeArchive.DIR : TreeArchive.FILE, e.path()) + e.size();
    }
    return n;
  }

  @Override
  public Buffer pull() throws IOException {
    if (!magicSent) {
      magicSent = true;
      return Buffer.buffer(TreeArchive.MAGIC);
    }
    if (open != null) {
      return content();
    }
    if (next < entries.size()) {
      Entry e = entries.get(next++);
      if (!e.dir()) {
        open = FileChannel.open(e.file(), StandardOpenOption.READ);
        remaining = e.size();
        openPath = e.path();
        openEntry = e;
      }
      return Buffers.wrap(TreeArchive.header(e.dir() ? TreeArchive.DIR : TreeArchive.FILE, e.path(), e.mtime(), e.size()));
    }
    if (!endSent) {
      endSent = true;
      return Buffer.buffer(new byte[]{TreeArchive.END});
    }
    return null;
  }

  private Buffer content() throws IOException {
    if (remaining == 0) {
      close();
      checkUnchanged(openEntry);
      fileSent.run();
      return pull();
    }
    ByteBuffer b = ByteBuffer.allocate((int) Math.min(chunk, remaining));
    while (b.hasRemaining()) {
      if (open.read(b) < 0) {
        throw changed(openEntry, "shrank");
      }
    }
    remaining -= b.capacity();
    progress.accept(b.capacity());
    return Buffers.wrap(b.flip());
  }

  /** A file of the tree that changed while it was read gives bytes of no single version: 409. */
  private void checkUnchanged(Entry e) throws IOException {
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(e.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException x) {
      throw changed(e, "was removed");
    }
    if (now.size() != e.size()) {
      throw changed(e, "went from " + e.size() + " to " + now.size() + " bytes");
    }
    if (now.lastModifiedTime().toMillis() != e.mtime()) {
      throw changed(e, "was modified");
    }
  }

  private io.xfernode.api.XferException changed(Entry e, String how) {
    return io.xfernode.api.XferException.conflict(field, "the tree's file " + e.path() + " changed while it was read: it "
      + how);
  }

  void close() throws IOException {
    if (open != null) {
      open.close();
      open = null;
    }
  }
}
