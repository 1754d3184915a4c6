package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.net.NetSocket;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;
import io.xfernode.pool.wire.FrameParser;
import io.xfernode.pool.wire.ProtocolException;
import io.xfernode.transport.NetSockets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One TCP connection of a pool, after its handshake: it multiplexes channels, one per transfer stream.
 * The side that connected numbers its channels odd, the side that accepted even. A frame that breaks
 * the protocol closes this connection, with the reason logged, and nothing else. Everything happens on
 * the context the socket belongs to.
 */
final class PoolConnection {

  private static final Logger log = LoggerFactory.getLogger(PoolConnection.class);

  private final Context context;
  private final NetSocket socket;
  private final boolean connector;
  private final Handshake handshake;
  private final Promise<PoolConnection> established = Promise.promise();
  private String pool;
  private String peer;
  /** This node's id, for WELCOME. */
  private String self;
  private final BiConsumer<PoolConnection, Frame.DataStart> opener;
  private final Map<Integer, ChannelEnd> channels = new HashMap<>();
  private final List<Handler<PoolConnection>> closeHandlers = new ArrayList<>();
  private int nextChannel;
  private boolean closed;
  private long idleSince = System.nanoTime();

  /** How the accepting side answers a HELLO: null to take the connection, or why it refuses. */
  interface Handshake {
    String refusal(Frame.Hello hello);
  }

  /**
   * The connecting side: sends HELLO for {@code pool}, from node {@code self}; {@link #established()}
   * completes on WELCOME.
   */
  static PoolConnection connect(Context context, NetSocket socket, String pool, String self, String peer,
                                BiConsumer<PoolConnection, Frame.DataStart> opener) {
    PoolConnection c = new PoolConnection(context, socket, true, null, opener);
    c.pool = pool;
    c.peer = peer;
    c.send(new Frame.Hello(Frame.VERSION, pool, self));
    return c;
  }

  /** The accepting side: waits for HELLO and answers it as {@code handshake} says. */
  static PoolConnection accept(Context context, NetSocket socket, Handshake handshake, String self,
                               BiConsumer<PoolConnection, Frame.DataStart> opener) {
    PoolConnection c = new PoolConnection(context, socket, false, handshake, opener);
    c.self = self;
    return c;
  }

  /**
   * @param opener called with every DATA_START the peer sends; it answers through {@link #registerPeer}
   *               and {@link #send}
   */
  private PoolConnection(Context context, NetSocket socket, boolean connector, Handshake handshake,
                         BiConsumer<PoolConnection, Frame.DataStart> opener) {
    this.context = context;
    this.socket = socket;
    this.connector = connector;
    this.handshake = handshake;
    this.opener = opener;
    this.nextChannel = connector ? 1 : 2;
    FrameParser parser = new FrameParser(this::onFrame, this::onProtocolError);
    socket.handler(parser);
    socket.drainHandler(v -> new ArrayList<>(channels.values()).forEach(ChannelEnd::onWritable));
    socket.closeHandler(v -> lost("the connection to " + peer + " closed"));
    socket.exceptionHandler(t -> lost("the connection to " + peer + " failed: " + t.getMessage()));
  }

  /** Completes once the handshake is through (WELCOME sent or received); fails on REFUSE or a loss. */
  Future<PoolConnection> established() {
    return established.future();
  }

  String pool() {
    return pool;
  }

  String peer() {
    return peer;
  }

  Context context() {
    return context;
  }

  boolean isOpen() {
    return !closed;
  }

  int channelCount() {
    return channels.size();
  }

  /** @return nanoTime since which this connection has carried no channel, or Long.MAX_VALUE while busy */
  long idleSince() {
    return channels.isEmpty() ? idleSince : Long.MAX_VALUE;
  }

  String describe() {
    return "pool " + pool + " " + socket.localAddress() + (connector ? " -> " : " <- ") + socket.remoteAddress()
      + (peer == null ? "" : " (" + peer + ")");
  }

  /** Opens a channel id of this side's parity for {@code end}. */
  int register(ChannelEnd end) {
    int id = nextChannel;
    nextChannel += 2;
    channels.put(id, end);
    return id;
  }

  /** Registers the peer's channel {@code id} (from its DATA_START) for {@code end}. */
  void registerPeer(int id, ChannelEnd end) {
    channels.put(id, end);
  }

  void unregister(int id) {
    if (channels.remove(id) != null && channels.isEmpty()) {
      idleSince = System.nanoTime();
    }
  }

  void send(Frame frame) {
    if (closed) {
      return;
    }
    if (frame instanceof Frame.Data data) {
      socket.write(FrameCodec.dataHeader(data));
      socket.write(data.payload());
    } else {
      socket.write(FrameCodec.encode(frame));
    }
  }

  boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  void closeHandler(Handler<PoolConnection> handler) {
    closeHandlers.add(handler);
  }

  void close(String reason) {
    if (!closed) {
      log.debug("{}: closing: {}", describe(), reason);
      lost(reason);
      socket.close();
    }
  }

  private void onFrame(Frame frame) {
    if (!established.future().isComplete()) {
      onHandshake(frame);
      return;
    }
    if (frame instanceof Frame.DataStart start) {
      boolean peerParity = (start.channel() & 1) == (connector ? 0 : 1);
      if (!peerParity || channels.containsKey(start.channel())) {
        onProtocolError(new ProtocolException("DATA_START on channel " + start.channel()
          + (peerParity ? ", which is open already" : ", which is not the peer's to open")));
        return;
      }
      opener.accept(this, start);
      return;
    }
    if (frame.channel() == 0) {
      onProtocolError(new ProtocolException(frame.getClass().getSimpleName() + " after the handshake"));
      return;
    }
    ChannelEnd end = channels.get(frame.channel());
    if (end == null) {
      // a channel this side has ended already; the peer had not heard yet
      log.debug("{}: {} for channel {}, which is closed", describe(), frame.getClass().getSimpleName(),
        frame.channel());
      return;
    }
    end.onFrame(frame);
  }

  private void onHandshake(Frame frame) {
    if (connector && frame instanceof Frame.Welcome welcome) {
      peer = welcome.node();
      established.complete(this);
    } else if (connector && frame instanceof Frame.Refuse refuse) {
      String reason = "the peer refused the connection: " + refuse.reason();
      established.tryFail(new XferException(ErrorCode.UNAVAILABLE, "pool " + pool + ": " + reason));
      close(reason);
    } else if (!connector && frame instanceof Frame.Hello hello) {
      String refusal = handshake.refusal(hello);
      if (refusal != null) {
        log.info("data port: refused a connection from {} ({}): {}", socket.remoteAddress(), hello.node(), refusal);
        send(new Frame.Refuse(refusal));
        established.tryFail(new XferException(ErrorCode.FORBIDDEN, refusal));
        socket.end().onComplete(v -> socket.close());
        closed = true;
        return;
      }
      pool = hello.pool();
      peer = hello.node();
      send(new Frame.Welcome(self));
      established.complete(this);
    } else {
      onProtocolError(new ProtocolException(frame.getClass().getSimpleName() + " before the handshake"));
    }
  }

  private void onProtocolError(ProtocolException e) {
    log.warn("{}: closing: {}", describe(), e.getMessage());
    lost("protocol error: " + e.getMessage());
    NetSockets.abort(socket);
  }

  private void lost(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    established.tryFail(new XferException(ErrorCode.UNAVAILABLE, "pool " + pool + ": " + reason));
    List<ChannelEnd> ends = new ArrayList<>(channels.values());
    channels.clear();
    ends.forEach(e -> e.onConnectionLost(reason));
    closeHandlers.forEach(h -> h.handle(this));
  }
}
