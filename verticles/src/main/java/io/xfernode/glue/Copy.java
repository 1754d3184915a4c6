package io.xfernode.glue;

import io.vertx.core.buffer.Buffer;
import io.xfernode.element.ElementContext;
import io.xfernode.link.Buffers;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.PullSource;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/** The loops blocking glue runs on its own thread. Each reports progress and stops when cancelled. */
final class Copy {

  /** The most {@code transferTo} moves per call, so that progress and cancel are seen often. */
  static final long TRANSFER_STEP = 8L << 20;

  private Copy() {
  }

  /** Pulls until the end and writes everything; the classic worker loop. */
  static long loop(PullSource in, ByteSink out, ElementContext ctx) throws Exception {
    long total = 0;
    Buffer buffer;
    while ((buffer = in.pull()) != null) {
      checkCancelled(ctx);
      out.write(buffer);
      total += buffer.length();
      ctx.progress(buffer.length());
    }
    out.finish();
    return total;
  }

  /** Zero copy in user space: the kernel moves file bytes to the target (sendfile, copy_file_range). */
  static long transferTo(ChannelOffer in, WritableByteChannel out, ElementContext ctx) throws IOException, InterruptedException {
    FileChannel file = (FileChannel) in.channel();
    long position = in.position();
    long end = in.count() < 0 ? file.size() : position + in.count();
    long total = 0;
    while (position < end) {
      checkCancelled(ctx);
      long n = file.transferTo(position, Math.min(TRANSFER_STEP, end - position), out);
      if (n <= 0) {
        if (position >= file.size()) {
          in.verifySource();
          throw new EOFException("the file ended at byte " + position + ", before the " + (end - in.position())
            + " bytes expected: it shrank while being read");
        }
        continue;
      }
      position += n;
      total += n;
      ctx.progress(n);
    }
    return total;
  }

  /** The buffer a socket's bytes go through on their way into a file. */
  static final int SOCKET_TO_FILE_BUFFER = 1 << 20;

  /**
   * Zero copy in user space from a file ({@code transferFrom}); from anything else, such as a socket,
   * through one large direct buffer: the JDK's {@code transferFrom} would read it 8 KiB at a time.
   */
  static long transferFrom(ReadableByteChannel in, FileChannel out, ElementContext ctx) throws IOException, InterruptedException {
    if (!(in instanceof FileChannel)) {
      return readInto(in, out, ctx);
    }
    long position = out.position();
    long total = 0;
    while (true) {
      checkCancelled(ctx);
      long n = out.transferFrom(in, position, TRANSFER_STEP);
      if (n <= 0) {
        // transferFrom cannot tell the end of a stream from a pause: read one byte to know
        ByteBuffer probe = ByteBuffer.allocate(1);
        if (in.read(probe) < 0) {
          break;
        }
        probe.flip();
        out.write(probe, position);
        n = 1;
      }
      position += n;
      total += n;
      ctx.progress(n);
    }
    out.position(position);
    return total;
  }

  private static long readInto(ReadableByteChannel in, FileChannel out, ElementContext ctx)
    throws IOException, InterruptedException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(SOCKET_TO_FILE_BUFFER);
    long position = out.position();
    long total = 0;
    while (true) {
      checkCancelled(ctx);
      int n = in.read(buffer);
      if (n < 0 && buffer.position() == 0) {
        break;
      }
      // write when the buffer is full, at the end, or when the socket has nothing more for now
      if (n < 0 || n == 0 || !buffer.hasRemaining()) {
        buffer.flip();
        int wrote = buffer.remaining();
        while (buffer.hasRemaining()) {
          position += out.write(buffer, position);
        }
        buffer.clear();
        total += wrote;
        ctx.progress(wrote);
        if (n < 0) {
          break;
        }
      }
    }
    out.position(position);
    return total;
  }

  /** @return a source that reads a channel in chunks; every chunk is a fresh buffer (one copy) */
  static PullSource reader(ChannelOffer offer, int chunk) throws IOException {
    ReadableByteChannel channel = (ReadableByteChannel) offer.channel();
    if (offer.isFile()) {
      ((FileChannel) channel).position(offer.position());
    }
    long limit = offer.count();
    return new PullSource() {
      long remaining = limit < 0 ? Long.MAX_VALUE : limit;

      @Override
      public Buffer pull() throws IOException {
        if (remaining == 0) {
          return null;
        }
        ByteBuffer bb = ByteBuffer.allocate((int) Math.min(chunk, remaining));
        int n;
        do {
          n = channel.read(bb);
        } while (n == 0 && bb.hasRemaining());
        if (n < 0 && bb.position() == 0) {
          if (limit >= 0) {
            offer.verifySource();
            throw new EOFException("the input ended " + remaining + " bytes early: it shrank while being read");
          }
          return null;
        }
        bb.flip();
        remaining -= bb.remaining();
        return Buffers.wrap(bb);
      }
    };
  }

  /** @return a sink that writes whole buffers to a channel */
  static ByteSink writer(WritableByteChannel channel) {
    return new ByteSink() {
      @Override
      public void write(Buffer buffer) throws IOException {
        ByteBuffer bb = Buffers.nio(buffer);
        while (bb.hasRemaining()) {
          channel.write(bb);
        }
      }

      @Override
      public void finish() {
        // the channel's owner closes it
      }
    };
  }

  static void checkCancelled(ElementContext ctx) throws InterruptedException {
    if (ctx.cancelled() || Thread.currentThread().isInterrupted()) {
      throw new InterruptedException("cancelled");
    }
  }
}
