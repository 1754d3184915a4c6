package io.xfernode.file;

import io.xfernode.element.ElementContext;
import io.xfernode.link.PullSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/** Unpacks a {@link TreeArchive} stream into a directory, keeping relative paths and modification times. */
final class TreeReader {

  private TreeReader() {
  }

  /** @return the bytes of file content written */
  static long unpack(PullSource source, Path into, String field, ElementContext ctx) throws Exception {
    DataInputStream in = new DataInputStream(new PullInputStream(source));
    TreeArchive.readMagic(in, field);
    List<Path> dirs = new ArrayList<>();
    List<Long> dirTimes = new ArrayList<>();
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    SmallFileWrites small = new SmallFileWrites(ctx);
    try {
      TreeArchive.Header h;
      while ((h = TreeArchive.readHeader(in, field)) != null) {
        Path target = TreeArchive.inside(into, h.path(), field);
        Files.createDirectories(target.getParent());
        if (h.type() == TreeArchive.DIR) {
          Files.createDirectories(target);
          dirs.add(target);
          dirTimes.add(h.mtime());
          continue;
        }
        if (h.size() <= SmallFileWrites.MAX_SIZE) {
          byte[] content = new byte[(int) h.size()];
          try {
            in.readFully(content);
          } catch (java.io.EOFException e) {
            throw new java.io.EOFException("the directory stream ended inside " + h.path());
          }
          total += content.length;
          small.write(target, content, h.mtime());
          continue;
        }
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          long left = h.size();
          while (left > 0) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
            if (n < 0) {
              throw new java.io.EOFException("the directory stream ended inside " + h.path());
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
            while (b.hasRemaining()) {
              out.write(b);
            }
            left -= n;
            total += n;
            ctx.progress(n);
          }
        }
        Files.setLastModifiedTime(target, FileTime.fromMillis(h.mtime()));
      }
      small.awaitAll();
    } catch (Exception | Error e) {
      small.abandon();
      throw e;
    }
    // read to the end of the input: the upstream is done only once it has been asked for more
    if (in.read() >= 0) {
      throw io.xfernode.api.XferException.badRequest(field, "the directory stream goes on after its end marker");
    }
    // directories last, deepest first: writing inside one changes its time
    for (int i = dirs.size() - 1; i >= 0; i--) {
      Files.setLastModifiedTime(dirs.get(i), FileTime.fromMillis(dirTimes.get(i)));
    }
    return total;
  }

  /** An input stream over a pull source, for the archive's headers. */
  static final class PullInputStream extends InputStream {
    private final PullSource source;
    private ByteBuffer current = ByteBuffer.allocate(0);
    private boolean ended;

    PullInputStream(PullSource source) {
      this.source = source;
    }

    private boolean fill() throws IOException {
      while (!current.hasRemaining() && !ended) {
        io.vertx.core.buffer.Buffer b;
        try {
          b = source.pull();
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("cancelled");
        } catch (Exception e) {
          throw new IOException(e);
        }
        if (b == null) {
          ended = true;
        } else {
          current = io.xfernode.link.Buffers.nio(b);
        }
      }
      return current.hasRemaining();
    }

    @Override
    public int read() throws IOException {
      return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }
  }
}
