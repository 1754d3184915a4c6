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
 * names the field, instead of the stock bridge's bare {@code invalid_json} or {@code missing_address}.
 *
 * <p>It extends the stock socket base only because the stock bridge casts to it when it closes an idle
 * socket; everything is delegated to the real socket.
 */
final class GatedSockJSSocket extends SockJSSocketBase {

  private static final Logger log = LoggerFactory.getLogger(GatedSockJSSocket.class);

  private final SockJSSocket socket;
  private final FrameGate gate;

  GatedSockJSSocket(Vertx vertx, SockJSSocket socket, FrameGate gate) {
    super(vertx, socket.routingContext(), new SockJSHandlerOptions().setRegisterWriteHandler(false));
    this.socket = socket;
    this.gate = gate;
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
    socket.exceptionHandler(handler);
    return this;
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
