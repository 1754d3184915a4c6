package io.xfernode.transport;

import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedNioFile;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * One connection of a transport ({@code tcp} or {@code tls+tcp}, SPEC 1.3), and the one place where a
 * connection is read, written, half-closed, closed or aborted (SPEC 1.4):
 * <ul>
 *   <li>{@link #read} and {@link #write} run stream operations with a count and progress;</li>
 *   <li>{@link #shutdownOutput} (half-close) and {@link #close} wait until every byte written so far has
 *   reached the kernel: a socket's output shut down under queued writes drops them, and the peer would
 *   read a clean, short stream;</li>
 *   <li>{@link #abort} resets at once, so the peer sees an error, never a clean end.</li>
 * </ul>
 * Use it on its socket's context.
 */
public final class Connection {

  /** The socket as a connection needs it; {@link #of} makes one of a Vert.x socket, tests make fakes. */
  public interface Wire {
    ReadStream<Buffer> input();

    WriteStream<Buffer> output();

    /** Shuts the output down now (a FIN, or TLS close_notify). */
    void shutdownOutput();

    /** Closes with a reset now. */
    void reset();

    /** Closes cleanly. */
    Future<Void> close();

    /** Sends {@code length} bytes of {@code file} from {@code position}; @return when the kernel has them */
    Future<Void> sendFile(FileChannel file, long position, long length);

    String describe();
  }

  private final Wire wire;
  private Future<Void> lastWrite = Future.succeededFuture();
  private Buffer held;
  private ReadOp reading;
  private boolean aborted;

  public Connection(Wire wire) {
    this.wire = wire;
  }

  /** A connection over a Vert.x socket. */
  public static Connection of(NetSocket socket, Protocol protocol, boolean accepted) {
    return new Connection(new NetWire(socket, protocol, accepted));
  }

  /** One line for logs and statuses: {@code tls+tcp 10.0.0.9:51234 -> 10.0.0.5:7300}. */
  public String describe() {
    return wire.describe();
  }

  /**
   * Starts a read of {@code count} bytes (or {@link ReadOp#UNBOUNDED}); bytes a bounded read left over go to
   * the next one. The input is paused once the read ends.
   */
  public ReadOp read(long count, ReadOp.Listener listener) {
    ReadOp op = new ReadOp(count, listener);
    reading = op;
    ReadStream<Buffer> in = wire.input();
    if (op.ended() != null) {
      in.pause();
      return op;
    }
    in.handler(b -> feed(op, b));
    in.endHandler(v -> op.end());
    in.exceptionHandler(op::fail);
    if (held != null) {
      Buffer h = held;
      held = null;
      feed(op, h);
    }
    if (op.ended() == null) {
      in.resume();
    }
    return op;
  }

  private void feed(ReadOp op, Buffer b) {
    Buffer rest = op.data(b);
    if (op.ended() == null) {
      return;
    }
    if (reading != op) {
      // the listener started the next read as this one ended: what is left is that read's
      if (rest != null) {
        feed(reading, rest);
      }
      return;
    }
    wire.input().pause();
    if (rest != null) {
      held = held == null ? rest : held.appendBuffer(rest);
    }
  }

  /**
   * Reads the whole connection into {@code out}, pausing while {@code out}'s queue is full: completes once
   * the peer's clean end (EOS) has been written into {@code out} and {@code out} ended; a reset fails it.
   */
  public Future<Void> readAllInto(WriteStream<Buffer> out) {
    Promise<Void> done = Promise.promise();
    read(ReadOp.UNBOUNDED, (event, op, data) -> {
      if (event == StreamEvent.READ_READY) {
        out.write(data);
        if (out.writeQueueFull()) {
          pause();
          out.drainHandler(v -> resume());
        }
      } else if (event == StreamEvent.ERROR) {
        done.tryFail(op.error());
      } else if (event.ends()) {
        out.end().onComplete(ar -> { // a reset may have failed it already
          if (ar.succeeded()) {
            done.tryComplete();
          } else {
            done.tryFail(ar.cause());
          }
        });
      }
    });
    return done.future();
  }

  /** Stops reading for now (the reader's consumer is full). */
  public void pause() {
    wire.input().pause();
  }

  /** Reads on. */
  public void resume() {
    if (reading != null && reading.ended() == null) {
      wire.input().resume();
    }
  }

  /** Starts a write of {@code count} bytes (or {@link ReadOp#UNBOUNDED}, until {@link WriteOp#end()}). */
  public WriteOp write(long count, WriteOp.Listener listener) {
    return new WriteOp(new Tracked(), count, listener);
  }

  /**
   * Sends a region of a file after what was written before: from the page cache by the kernel
   * ({@code sendfile}), or read in chunks over TLS. The file stays open.
   */
  public Future<Void> sendFile(FileChannel file, long position, long length) {
    Future<Void> sent = wire.sendFile(file, position, length);
    lastWrite = sent;
    return sent;
  }

  /** Completes once every byte written so far has reached the kernel. */
  public Future<Void> flushed() {
    return lastWrite.otherwiseEmpty();
  }

  /** Half-close: once every byte written has reached the kernel, the output is shut down (FIN). */
  public Future<Void> shutdownOutput() {
    return flushed().onComplete(v -> {
      if (!aborted) {
        wire.shutdownOutput();
      }
    });
  }

  /** Closes cleanly, once every byte written has reached the kernel. */
  public Future<Void> close() {
    return flushed().compose(v -> aborted ? Future.succeededFuture() : wire.close());
  }

  /** Ends abnormally, at once: the peer sees a reset. Queued bytes are dropped, as they should be. */
  public void abort() {
    if (!aborted) {
      aborted = true;
      if (reading != null) {
        reading.fail(new IOException("the connection was aborted"));
      }
      wire.reset();
    }
  }

  /** The wire's output, with every write's completion kept as the last one. */
  private final class Tracked implements WriteStream<Buffer> {
    @Override
    public Future<Void> write(Buffer data) {
      Future<Void> f = wire.output().write(data);
      lastWrite = f;
      return f;
    }

    @Override
    public Future<Void> end() {
      return flushed();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      wire.output().exceptionHandler(handler);
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      wire.output().setWriteQueueMaxSize(maxSize);
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return wire.output().writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      wire.output().drainHandler(handler);
      return this;
    }
  }

  /** A Vert.x socket as a wire: half-close and reset through its Netty channel. */
  private static final class NetWire implements Wire {
    private final NetSocket socket;
    private final Protocol protocol;
    private final boolean accepted;

    NetWire(NetSocket socket, Protocol protocol, boolean accepted) {
      this.socket = socket;
      this.protocol = protocol;
      this.accepted = accepted;
    }

    @Override
    public ReadStream<Buffer> input() {
      return socket;
    }

    @Override
    public WriteStream<Buffer> output() {
      return socket;
    }

    @Override
    public void shutdownOutput() {
      if (socket instanceof NetSocketInternal s) {
        SslHandler ssl = s.channelHandlerContext().pipeline().get(SslHandler.class);
        if (ssl != null) {
          ssl.closeOutbound();
          return;
        }
        if (s.channelHandlerContext().channel() instanceof DuplexChannel ch) {
          ch.shutdownOutput();
          return;
        }
      }
      socket.end();
    }

    @Override
    public void reset() {
      if (socket instanceof NetSocketInternal s) {
        io.netty.channel.Channel ch = s.channelHandlerContext().channel();
        if (ch.isOpen()) {
          ch.config().setOption(ChannelOption.SO_LINGER, 0);
          ch.close();
          return;
        }
      }
      socket.close();
    }

    @Override
    public Future<Void> close() {
      return socket.close();
    }

    @Override
    public Future<Void> sendFile(FileChannel file, long position, long length) {
      NetSocketInternal s = (NetSocketInternal) socket;
      if (!protocol.tls()) {
        return s.writeMessage(new DefaultFileRegion(file, position, length) {
          @Override
          protected void deallocate() {
            // the file belongs to whoever offered it, who closes it
          }
        });
      }
      try {
        return s.writeMessage(new ChunkedNioFile(file, position, length, 64 * 1024) {
          @Override
          public void close() {
            // the file belongs to whoever offered it, who closes it
          }
        });
      } catch (IOException e) {
        return Future.failedFuture(e);
      }
    }

    @Override
    public String describe() {
      String local = socket.localAddress() == null ? "?" : socket.localAddress().toString();
      String remote = socket.remoteAddress() == null ? "?" : socket.remoteAddress().toString();
      return protocol + " " + local + (accepted ? " <- " : " -> ") + remote;
    }
  }
}
