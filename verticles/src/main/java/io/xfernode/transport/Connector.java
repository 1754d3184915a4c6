package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Duration;

/**
 * Connects a transport, retrying with backoff until its deadline (SPEC 1.3). A peer that is not there yet
 * is retried; a TLS failure is not: TLS fails closed, at once, and never falls back to cleartext. The host
 * is resolved and checked against the node's egress rules once, first; every attempt connects to the
 * address that was checked.
 */
public final class Connector {

  private static final Logger log = LoggerFactory.getLogger(Connector.class);

  private Connector() {
  }

  /**
   * @param field the element option the address came from, for messages
   * @return the connected socket; its client closes with it
   */
  public static Future<NetSocket> connect(Vertx vertx, TransportOptions t, String field,
                                          io.xfernode.net.Egress egress) {
    long deadline = System.nanoTime() + t.retry().until().toNanos();
    return vertx.executeBlocking(() -> egress.check(t.host(), t.port(), field), false)
      .compose(address -> connect(vertx, t, field, io.xfernode.net.Egress.target(t.host(), address, t.port()),
        deadline));
  }

  private static Future<NetSocket> connect(Vertx vertx, TransportOptions t, String field, SocketAddress target,
                                           long deadline) {
    NetClient client = vertx.createNetClient(t.clientOptions());
    Promise<NetSocket> result = Promise.promise();
    attempt(vertx, client, t, target, field, deadline, t.retry().initialDelay(), result);
    return result.future()
      .onSuccess(s -> s.closeHandler(v -> client.close()))
      .onFailure(e -> client.close());
  }

  private static void attempt(Vertx vertx, NetClient client, TransportOptions t, SocketAddress target, String field,
                              long deadline, Duration delay, Promise<NetSocket> result) {
    // SNI names a host, never an address
    String serverName = t.host().matches("[0-9.]+") || t.host().contains(":") ? null : t.host();
    client.connect(target, serverName).onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
        return;
      }
      Throwable cause = ar.cause();
      if (isTls(cause)) {
        result.fail(new XferException(ErrorCode.FORBIDDEN, field + ": TLS with " + t.host() + ":" + t.port()
          + " failed: " + rootMessage(cause)));
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        result.fail(new XferException(ErrorCode.TIMEOUT, field + ": cannot connect to " + t.describe()
          + " within " + t.retry().until() + ": " + rootMessage(cause)));
        return;
      }
      long wait = Math.max(1, Math.min(delay.toMillis(), left / 1_000_000));
      log.debug("connect to {} failed ({}), retrying in {} ms", t.describe(), rootMessage(cause), wait);
      vertx.setTimer(wait, id -> attempt(vertx, client, t, target, field, deadline, t.retry().next(delay), result));
    });
  }

  static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException || c instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
