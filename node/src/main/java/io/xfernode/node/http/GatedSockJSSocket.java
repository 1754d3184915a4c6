package io.xfernode.node.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.impl.SockJSSocketBase;
import io.xfernode.node.bridge.FrameGate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SockJS connection as the stock event-bus bridge sees it, with every frame the client sends checked by
 * {@link FrameGate} first (well-formed, a token with the role it needs), exactly as the TCP bridge checks
 * its frames. A refused frame is answered with an {@code err} frame carrying the code and a message that
 * names the field, instead of the stock bridge's bare {@code invalid_json} or {@code missing_address}; a
 * frame above {@code limits.maxRequestBytes} is answered the same way, with the limit.
 *
 * <p>The stock bridge logs any exception on a socket at ERROR with its stack trace, though it is the
 * client's doing: a connection reset, or a message above what the transport takes (a WebSocket message
 * beyond {@link HttpApi#transportLimit}). This socket logs one line instead and closes the socket (1009 with
 * the limit, for a raw WebSocket); the close clears the bridge's state for it.
 *
 * <p>It extends the stock socket base only because the stock bridge casts to it when it closes an idle
 * socket; everything is delegated to the real socket.
 */
final class GatedSockJSSocket extends SockJSSocketBase {

  private static final Logger log = LoggerFactory.getLogger(GatedSockJSSocket.class);

  private final SockJSSocket socket;
  private final FrameGate gate;
  private final int transportLimit;

  /** @param transportLimit the largest WebSocket message the HTTP port takes */
  GatedSockJSSocket(Vertx vertx, SockJSSocket socket, FrameGate gate, int transportLimit) {
    super(vertx, socket.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
    this.socket = socket;
    this.gate = gate;
    this.transportLimit = transportLimit;
  }

  @Override
  public SockJSSocket handler(Handler<Buffer> handler) {
    socket.handler(handler == null ? null : data -> {
      FrameGate.Verdict verdict = gate.check(((BufferInternal) data).getByteBuf());
      if (verdict.pass() != null) {
        handler.handle(verdict.pass().toBuffer());
      } else {
        log.debug("sockjs: refused a frame from {}: {}", socket.remoteAddress(), verdict.refusal().getString("message"));
        socket.write(verdict.refusal().toBuffer());
      }
    });
    return this;
  }

  @Override
  public void closeAfterSessionExpired() {
    if (socket instanceof SockJSSocketBase) {
      ((SockJSSocketBase) socket).closeAfterSessionExpired();
    } else {
      socket.close();
    }
  }

  @Override
  public SockJSSocket exceptionHandler(Handler<Throwable> handler) {
    // not the bridge's handler: it logs a stack trace at ERROR; the close handler clears its state
    socket.exceptionHandler(handler == null ? null : this::failed);
    return this;
  }

  private void failed(Throwable t) {
    if (t instanceof java.io.IOException || t instanceof io.vertx.core.http.HttpClosedException) {
      log.debug("sockjs: {} went away: {}", socket.remoteAddress(), t.toString());
      socket.close();
      return;
    }
    // a message above the transport's limit (Netty's frame decoder, or Vert.x's message buffer), or some
    // other protocol violation: either way the client's, and the socket cannot go on
    String message = String.valueOf(t.getMessage());
    log.warn("sockjs: closing {}: {}", socket.remoteAddress(), message);
    if (message.contains("exceeded") || message.contains("overflow")) {
      socket.close(1009, "message: larger than the WebSocket limit (" + transportLimit + " bytes, from limits.maxRequestBytes)");
    } else {
      socket.close(1002, message.length() <= 120 ? message : message.substring(0, 120));
    }
  }

  @Override
  public SockJSSocket pause() {
    socket.pause();
    return this;
  }

  @Override
  public SockJSSocket resume() {
    socket.resume();
    return this;
  }

  @Override
  public SockJSSocket fetch(long amount) {
    socket.fetch(amount);
    return this;
  }

  @Override
  public SockJSSocket endHandler(Handler<Void> endHandler) {
    socket.endHandler(endHandler);
    return this;
  }

  @Override
  public SockJSSocket closeHandler(Handler<Void> closeHandler) {
    socket.closeHandler(closeHandler);
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  @Override
  public SockJSSocket setWriteQueueMaxSize(int maxSize) {
    socket.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  @Override
  public SockJSSocket drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
    return this;
  }

  @Override
  public String writeHandlerID() {
    return socket.writeHandlerID();
  }

  @Override
  public Future<Void> end() {
    return socket.end();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public void close(int statusCode, String reason) {
    socket.close(statusCode, reason);
  }

  @Override
  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  @Override
  public SocketAddress localAddress() {
    return socket.localAddress();
  }

  @Override
  public MultiMap headers() {
    return socket.headers();
  }

  @Override
  public String uri() {
    return socket.uri();
  }
}
