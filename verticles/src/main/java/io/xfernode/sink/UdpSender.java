package io.xfernode.sink;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;

import java.util.concurrent.TimeUnit;

/**
 * The running {@code udp} sink, on its event loop. It asks its input for one buffer at a time and cuts the
 * stream into datagrams of exactly {@code datagramSize} bytes: slices of the input buffer where it can, a
 * copy only for a datagram that spans two input buffers. At most {@value #MAX_IN_FLIGHT} sends are in
 * flight; with a {@code rate}, a token bucket holding about 10 ms of bytes paces them with timers. It holds
 * one input buffer, one partial datagram and the datagrams in flight, whatever the stream's size.
 */
final class UdpSender extends Element {

  static final int MAX_IN_FLIGHT = 8;
  private static final long BURST_MILLIS = 10;

  private final UdpSink.Options options;
  private final int size;
  private final double burst;
  private final Promise<Void> done = Promise.promise();
  private ElementContext ctx;
  private DatagramSocket socket;
  private String target;
  private ReadStream<Buffer> in;
  private Buffer pending;
  private Buffer partial;
  private Buffer next;
  private boolean requested;
  private boolean inputEnded;
  private int inFlight;
  private boolean pumping;
  private boolean again;
  private long timer = -1;
  private double credit;
  private long refilledAt;
  private long datagrams;

  UdpSender(UdpSink.Options options) {
    this.options = options;
    this.size = options.datagramSize();
    this.burst = Math.max(size, (double) options.rate() * BURST_MILLIS / 1000);
    this.credit = burst;
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    this.ctx = ctx;
    // the target is resolved and checked against egress once; every datagram goes to that address
    return ctx.blocking("egress", () -> ctx.env().egress().check(options.host(), options.port(), ctx.name() + ".host"))
      .map(address -> {
        target = address.getHostAddress();
        socket = ctx.vertx().createDatagramSocket(new DatagramSocketOptions().setIpV6(address.getAddress().length == 16));
        socket.exceptionHandler(this::fail);
        return null;
      });
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    refilledAt = System.nanoTime();
    in = ctx.inputStream();
    in.pause();
    in.exceptionHandler(done::tryFail);
    in.endHandler(v -> {
      inputEnded = true;
      requested = false;
      pump();
    });
    in.handler(b -> {
      requested = false;
      pending = b;
      pump();
    });
    pump();
    return done.future();
  }

  /** Sends what it may now; a send's completion, the input, or the pacing timer calls it again. */
  private void pump() {
    if (pumping) {
      // a send that completed at once calls back in here: loop instead of recursing
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        step();
      } while (again);
    } finally {
      pumping = false;
    }
  }

  private void step() {
    if (timer >= 0 || done.future().isComplete() || ctx.cancelled()) {
      return;
    }
    while (inFlight < MAX_IN_FLIGHT) {
      Buffer d = nextDatagram();
      if (d == null) {
        break;
      }
      if (!paced(d.length())) {
        return;
      }
      send(d);
    }
    if (inputEnded && next == null && inFlight == 0) {
      done.tryComplete();
    }
  }

  /** @return the datagram to send next, or {@code null} while more input is needed (it is then asked for) */
  private Buffer nextDatagram() {
    while (next == null) {
      if (pending == null) {
        if (inputEnded) {
          next = partial;
          partial = null;
          return next;
        }
        if (!requested) {
          requested = true;
          in.fetch(1);
        }
        return null;
      }
      if (partial == null && pending.length() >= size) {
        next = pending.slice(0, size);
        consume(size);
      } else {
        if (partial == null) {
          partial = Buffer.buffer(size);
        }
        int n = Math.min(size - partial.length(), pending.length());
        partial.appendBuffer(pending, 0, n);
        consume(n);
        if (partial.length() == size) {
          next = partial;
          partial = null;
        }
      }
    }
    return next;
  }

  private void consume(int n) {
    pending = n == pending.length() ? null : pending.slice(n, pending.length());
  }

  /** @return whether {@code bytes} may go now; otherwise a timer calls {@link #pump()} when they may */
  private boolean paced(int bytes) {
    if (options.rate() <= 0) {
      return true;
    }
    long now = System.nanoTime();
    credit = Math.min(burst, credit + (double) (now - refilledAt) * options.rate() / TimeUnit.SECONDS.toNanos(1));
    refilledAt = now;
    if (credit >= bytes) {
      credit -= bytes;
      return true;
    }
    long delayMs = Math.max(1, (long) Math.ceil((bytes - credit) * 1000 / options.rate()));
    timer = ctx.vertx().setTimer(delayMs, id -> {
      timer = -1;
      pump();
    });
    return false;
  }

  private void send(Buffer datagram) {
    next = null;
    inFlight++;
    int length = datagram.length();
    socket.send(datagram, options.port(), target).onComplete(ar -> {
      inFlight--;
      if (ar.failed()) {
        fail(ar.cause());
        return;
      }
      datagrams++;
      ctx.progress(length);
      pump();
    });
  }

  private void fail(Throwable t) {
    if (t instanceof XferException) {
      done.tryFail(t);
      return;
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    done.tryFail(new XferException(ErrorCode.UNAVAILABLE, ctx.name() + ".host: cannot send to udp " + options.host()
      + ":" + options.port() + ": " + message));
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    cancelTimer();
    done.tryFail(reason);
  }

  private void cancelTimer() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  @Override
  public Future<Void> release(ElementContext ctx) {
    cancelTimer();
    DatagramSocket s = socket;
    socket = null;
    return s == null ? Future.succeededFuture() : s.close();
  }

  @Override
  public JsonObject result() {
    return new JsonObject().put("datagrams", datagrams);
  }
}
