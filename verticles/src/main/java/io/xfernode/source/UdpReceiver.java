package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.link.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * The running {@code udp} source. The socket is bound at setup, so that its address goes into READY;
 * datagrams that arrive from then on are kept (the peer may hear the address and send before START reaches
 * this element). Everything runs on the element's event loop.
 */
final class UdpReceiver extends Element {

  private static final Logger log = LoggerFactory.getLogger(UdpReceiver.class);

  private final UdpSource.Options options;
  private final Promise<Void> done = Promise.promise();
  private ElementContext ctx;
  private DatagramSocket socket;
  private WriteStream<Buffer> out;
  private boolean ended;
  private long received;
  private long datagrams;
  private long dropped;
  private long lastArrivalNanos;
  private long idleTimer = -1;

  UdpReceiver(UdpSource.Options options) {
    this.options = options;
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    this.ctx = ctx;
    this.out = ctx.outputStream();
    out.exceptionHandler(done::tryFail);
    // a length is where a UDP stream stops at most, not a total it promises: datagrams may be lost
    String host = options.host() == null ? ctx.env().host() : options.host();
    DatagramSocketOptions so = new DatagramSocketOptions().setReceiveBufferSize(options.receiveBuffer())
      .setIpV6(host.contains(":"));
    socket = ctx.vertx().createDatagramSocket(so);
    socket.exceptionHandler(this::onSocketError);
    socket.handler(this::onDatagram);
    return socket.listen(options.port(), host)
      .recover(t -> Future.failedFuture(bindFailure(host, t)))
      .map(s -> {
        SocketAddress local = s.localAddress();
        // a wildcard bind is reached on the node's own address
        String bound = local.hostAddress();
        String shown = bound == null || "0.0.0.0".equals(bound) || "::".equals(bound) ? ctx.env().host() : bound;
        ctx.publish("listen", new Endpoint(SocketAddress.inetSocketAddress(local.port(), shown), null).toJson());
        log.debug("transfer {}: {} listens on udp {}", ctx.transferId(), ctx.name(), local);
        return null;
      });
  }

  private XferException bindFailure(String host, Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // a port someone else holds is a conflict; an address this node does not have is the user's mistake
    boolean inUse = message.contains("in use");
    return new XferException(inUse ? ErrorCode.CONFLICT : ErrorCode.BAD_REQUEST, ctx.name() + (inUse ? ".port" : ".host")
      + ": cannot bind udp " + host + ":" + options.port() + ": " + message);
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    lastArrivalNanos = System.nanoTime();
    if (!ended) {
      armIdleTimer(options.idleTimeout().toMillis());
    }
    return done.future();
  }

  private void onDatagram(DatagramPacket packet) {
    if (ended || ctx.cancelled()) {
      return;
    }
    lastArrivalNanos = System.nanoTime();
    if (out.writeQueueFull()) {
      // UDP cannot ask the sender to wait: what does not fit is lost, and counted
      dropped++;
      return;
    }
    datagrams++;
    Buffer data = packet.data();
    long left = options.length() < 0 ? Long.MAX_VALUE : options.length() - received;
    if (data.length() > left) {
      data = data.slice(0, (int) left);
    }
    if (data.length() > 0) {
      received += data.length();
      out.write(data).onFailure(this::fail);
      ctx.progress(data.length());
    }
    if (received == options.length()) {
      end("length");
    }
  }

  private void onSocketError(Throwable t) {
    if (!ended) {
      log.debug("transfer {}: {} socket error: {}", ctx.transferId(), ctx.name(), t.toString());
      fail(new XferException(ErrorCode.UNAVAILABLE, ctx.name() + ".port: udp socket failed: " + t.getMessage()));
    }
  }

  /**
   * One timer for the whole stream rather than one per datagram: when it fires it only ends the stream if
   * nothing arrived for the whole timeout, otherwise it waits for the rest of it.
   */
  private void armIdleTimer(long delayMs) {
    idleTimer = ctx.vertx().setTimer(Math.max(1, delayMs), id -> {
      idleTimer = -1;
      if (ended) {
        return;
      }
      long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastArrivalNanos);
      long timeoutMs = options.idleTimeout().toMillis();
      if (idleMs >= timeoutMs) {
        end("idleTimeout");
      } else {
        armIdleTimer(timeoutMs - idleMs);
      }
    });
  }

  private void end(String why) {
    ended = true;
    cancelIdleTimer();
    closeSocket();
    ctx.info(counts().put("message", "udp stream ended by " + why));
    if (dropped > 0) {
      log.info("transfer {}: {} dropped {} of {} datagrams: the output was full", ctx.transferId(), ctx.name(),
        dropped, dropped + datagrams);
    }
    out.end().onComplete(ar -> {
      if (ar.succeeded()) {
        done.tryComplete();
      } else {
        done.tryFail(ar.cause());
      }
    });
  }

  private void fail(Throwable t) {
    ended = true;
    cancelIdleTimer();
    closeSocket();
    done.tryFail(t);
  }

  private JsonObject counts() {
    return new JsonObject().put("datagrams", datagrams).put("dropped", dropped);
  }

  private Future<Void> closing = Future.succeededFuture();

  private void cancelIdleTimer() {
    if (idleTimer >= 0) {
      ctx.vertx().cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  /** Closes the socket once; every caller gets the same close, so release waits for the port to be free. */
  private Future<Void> closeSocket() {
    DatagramSocket s = socket;
    socket = null;
    if (s != null) {
      closing = s.close();
    }
    return closing;
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    fail(reason);
  }

  @Override
  public Future<Void> release(ElementContext ctx) {
    cancelIdleTimer();
    return closeSocket();
  }

  @Override
  public JsonObject result() {
    return counts();
  }
}
