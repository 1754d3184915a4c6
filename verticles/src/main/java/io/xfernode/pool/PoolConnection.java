package io.xfernode.pool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.stream.ChunkedNioFile;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.net.NetSocketInternal;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.DataPiece;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;
import io.xfernode.pool.wire.FrameDecoder;
import io.xfernode.pool.wire.ProtocolException;
import io.xfernode.transport.Connection;
import io.xfernode.transport.Protocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One TCP (or TLS) connection of a pool, on the context its socket belongs to; every method is called on
 * that context. Frames are cut by a {@link FrameDecoder} in the socket's Netty pipeline, so payload bytes
 * reach their channel as slices of what the socket read. The connection first runs the handshake of
 * {@link Handshake}; then it multiplexes channels, one per transfer stream: the side that connected
 * numbers its channels odd, the side that accepted even. A frame that breaks the protocol closes this
 * connection, with the reason logged, and nothing else.
 */
final class PoolConnection {

  private static final Logger log = LoggerFactory.getLogger(PoolConnection.class);

  /** What one read from the socket may take: Netty's adaptive allocator grows it while reads fill it. */
  static final int READ_MIN = 64 * 1024;
  static final int READ_INITIAL = 256 * 1024;
  static final int READ_MAX = 1 << 20;

  /** The chunk a file region is read in over TLS, where the kernel cannot send it as it is. */
  static final int TLS_FILE_CHUNK = 64 * 1024;

  /** What the connection needs from the pools it belongs to. */
  interface Owner {
    /** A DATA_START from the peer. */
    void opened(PoolConnection connection, Frame.DataStart start);

    /** @return null to take the established connection, or why it is refused (e.g. too many) */
    String admit(PoolConnection connection);
  }

  private final Context context;
  private final NetSocketInternal socket;
  private final boolean connector;
  private final boolean tls;
  private final Handshake handshake;
  private final Owner owner;
  private final Map<Integer, ChannelEnd> channels = new HashMap<>();
  private final List<Handler<PoolConnection>> closeHandlers = new ArrayList<>();
  /** Frames that arrived while the handshake waited for a peer's key. */
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private int nextChannel;
  private final Turns turns = new Turns();
  /** The channel count, for other threads (pool listings, connection choice). */
  private volatile int channelCount;
  private volatile boolean closed;
  private volatile long idleSince = System.nanoTime();

  PoolConnection(Context context, NetSocketInternal socket, boolean connector, boolean tls, Handshake handshake,
                 Owner owner) {
    this.context = context;
    this.socket = socket;
    this.connector = connector;
    this.tls = tls;
    this.handshake = handshake;
    this.owner = owner;
    this.nextChannel = connector ? 1 : 2;
    // large reads: a DATA payload arrives in fewer, larger pieces, and is written with fewer calls
    socket.channelHandlerContext().channel().config().setRecvByteBufAllocator(
      new AdaptiveRecvByteBufAllocator(READ_MIN, READ_INITIAL, READ_MAX));
    socket.channelHandlerContext().pipeline().addBefore("handler", "xfer-frames", new FrameDecoder());
    socket.messageHandler(this::onMessage);
    socket.drainHandler(v -> writable());
    socket.closeHandler(v -> lost("the connection to " + peerName() + " closed"));
    socket.exceptionHandler(t -> lost("the connection to " + peerName() + " failed: " + t.getMessage()));
    handshake.begin(this);
  }

  // ---- what the handshake and the pools see

  Context context() {
    return context;
  }

  Owner owner() {
    return owner;
  }

  boolean connector() {
    return connector;
  }

  String pool() {
    return handshake.pool();
  }

  /** The peer's node id, once the handshake has named it. */
  String peer() {
    return handshake.peer();
  }

  private String peerName() {
    return peer() == null ? String.valueOf(socket.remoteAddress()) : peer();
  }

  /** Completes once the handshake is through; fails on a refusal or a loss. */
  Future<PoolConnection> established() {
    return handshake.established().map(this);
  }

  boolean isOpen() {
    return !closed;
  }

  boolean tls() {
    return tls;
  }

  int channelCount() {
    return channelCount;
  }

  /** @return nanoTime since which this connection has carried no channel, or Long.MAX_VALUE while busy */
  long idleSince() {
    return channelCount == 0 ? idleSince : Long.MAX_VALUE;
  }

  String describe() {
    return (tls ? "tls+tcp " : "tcp ") + socket.localAddress() + (connector ? " -> " : " <- ") + socket.remoteAddress()
      + " pool " + pool() + (peer() == null ? "" : " (" + peer() + ")");
  }

  String remoteAddress() {
    return String.valueOf(socket.remoteAddress());
  }

  ByteBufAllocator alloc() {
    return socket.channelHandlerContext().alloc();
  }

  void pause() {
    socket.pause();
  }

  void resume() {
    socket.resume();
  }

  // ---- channels

  /** Opens a channel id of this side's parity for {@code end}. */
  int register(ChannelEnd end) {
    int id = nextChannel;
    nextChannel += 2;
    channels.put(id, end);
    channelCount = channels.size();
    return id;
  }

  /** Registers the peer's channel {@code id} (from its DATA_START) for {@code end}. */
  void registerPeer(int id, ChannelEnd end) {
    channels.put(id, end);
    channelCount = channels.size();
  }

  void unregister(int id) {
    if (channels.remove(id) != null && channels.isEmpty()) {
      idleSince = System.nanoTime();
    }
    channelCount = channels.size();
  }

  // ---- writing

  /** The socket can take writes again: every channel may send, taking turns (see {@link Turns}). */
  private void writable() {
    turns.round(channels.values()).forEach(ChannelEnd::onWritable);
  }

  void send(Frame frame) {
    if (!closed) {
      socket.writeMessage(FrameCodec.encode(frame, alloc()));
    }
  }

  /** A DATA frame whose payload goes to the socket as it is; this takes over {@code payload} (and releases it). */
  void sendData(int channel, long offset, ByteBuf payload) {
    if (closed) {
      payload.release();
      return;
    }
    socket.writeMessage(FrameCodec.dataHeader(alloc(), channel, offset, payload.readableBytes()));
    socket.writeMessage(payload);
  }

  /**
   * A DATA frame whose payload is {@code length} bytes of {@code file} from {@code position}: sent by the
   * kernel from the page cache ({@code sendfile}) without passing through the JVM; over TLS, read in
   * chunks. The file stays open.
   *
   * @return completes once the bytes were handed to the kernel
   */
  Future<Void> sendRegion(int channel, long offset, FileChannel file, long position, int length) {
    if (closed) {
      return Future.failedFuture(new XferException(ErrorCode.UNAVAILABLE, "the connection to " + peerName()
        + " is closed"));
    }
    socket.writeMessage(FrameCodec.dataHeader(alloc(), channel, offset, length));
    if (!tls) {
      return socket.writeMessage(new DefaultFileRegion(file, position, length) {
        @Override
        protected void deallocate() {
          // the file belongs to the source element, which closes it
        }
      });
    }
    try {
      return socket.writeMessage(new ChunkedNioFile(file, position, length, TLS_FILE_CHUNK) {
        @Override
        public void close() {
          // the file belongs to the source element, which closes it
        }
      });
    } catch (IOException e) {
      return Future.failedFuture(e);
    }
  }

  /** Whether writes wait in the socket's queue: channels then wait for {@link ChannelEnd#onWritable}. */
  boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  void closeHandler(Handler<PoolConnection> handler) {
    closeHandlers.add(handler);
  }

  /** Closes cleanly; the transfers on it fail with 503. */
  void close(String reason) {
    if (!closed) {
      log.debug("{}: closing: {}", describe(), reason);
      lost(reason);
      socket.close();
    }
  }

  /** Resets the connection (the peer sees an error, never a clean end); the transfers on it fail with 503. */
  void abort(String reason) {
    if (!closed) {
      lost(reason);
      Connection.of(socket, tls ? Protocol.TLS_TCP : Protocol.TCP, !connector).abort();
    }
  }

  // ---- reading

  private void onMessage(Object msg) {
    if (handshake.waiting() || !held.isEmpty()) {
      held.add(msg);
      return;
    }
    dispatch(msg);
  }

  /** Called by the handshake once it no longer waits: what arrived meanwhile goes on, in order. */
  void drainHeld() {
    while (!held.isEmpty() && !handshake.waiting() && !closed) {
      dispatch(held.poll());
    }
    if (closed) {
      held.forEach(PoolConnection::release);
      held.clear();
    }
  }

  private static void release(Object msg) {
    if (msg instanceof DataPiece p) {
      p.bytes().release();
    }
  }

  private void dispatch(Object msg) {
    if (msg instanceof ProtocolException e) {
      protocolError(e.getMessage());
      return;
    }
    if (closed) {
      release(msg);
      return;
    }
    if (!handshake.isDone()) {
      if (msg instanceof Frame frame) {
        handshake.onFrame(this, frame);
      } else {
        release(msg);
        protocolError("DATA before the handshake");
      }
      return;
    }
    if (msg instanceof DataPiece piece) {
      ChannelEnd end = channels.get(piece.channel());
      if (end == null) {
        piece.bytes().release(); // a channel this side has ended already
        return;
      }
      end.onData(piece);
      return;
    }
    if (!(msg instanceof Frame frame)) {
      return;
    }
    if (frame instanceof Frame.DataStart start) {
      boolean peerParity = (start.channel() & 1) == (connector ? 0 : 1);
      if (!peerParity || channels.containsKey(start.channel())) {
        protocolError("DATA_START on channel " + start.channel()
          + (peerParity ? ", which is open already" : ", which is not the peer's to open"));
        return;
      }
      owner.opened(this, start);
      return;
    }
    if (frame instanceof Frame.Refuse refuse) {
      // the accepting side may refuse only once it checked this side's proof, after this side was done
      log.info("{}: the peer refused the connection: {}", describe(), refuse.reason());
      close("the peer refused the connection: " + refuse.reason());
      return;
    }
    if (frame.channel() == 0) {
      protocolError(frame.getClass().getSimpleName() + " after the handshake");
      return;
    }
    ChannelEnd end = channels.get(frame.channel());
    if (end == null) {
      log.debug("{}: {} for channel {}, which is closed", describe(), frame.getClass().getSimpleName(), frame.channel());
      return;
    }
    end.onFrame(frame);
  }

  /** Logs the broken rule once and resets the connection. */
  void protocolError(String reason) {
    if (!closed) {
      log.warn("{}: closing: {}", describe(), reason);
      abort("protocol error: " + reason);
    }
  }

  private void lost(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    handshake.lost(new XferException(ErrorCode.UNAVAILABLE, "pool " + pool() + ": " + reason));
    List<ChannelEnd> ends = new ArrayList<>(channels.values());
    channels.clear();
    channelCount = 0;
    ends.forEach(e -> e.onConnectionLost(reason));
    drainHeld();
    closeHandlers.forEach(h -> h.handle(this));
  }
}
