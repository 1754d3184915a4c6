package io.xfernode.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.time.Duration;

/**
 * Connects a transport, retrying with backoff until its deadline (SPEC 1.3). A peer that is not there yet
 * is retried; a TLS failure is not: TLS fails closed, at once, and never falls back to cleartext.
 */
public final class Connector {

  private static final Logger log = LoggerFactory.getLogger(Connector.class);

  private Connector() {
  }

  /**
   * @param field the element option the address came from, for messages
   * @return the connected socket; its client closes with it
   */
  public static Future<NetSocket> connect(Vertx vertx, TransportOptions t, String field) {
    NetClient client = vertx.createNetClient(t.clientOptions());
    Promise<NetSocket> result = Promise.promise();
    long deadline = System.nanoTime() + t.retry().until().toNanos();
    attempt(vertx, client, t, field, deadline, t.retry().initialDelay(), result);
    return result.future()
      .onSuccess(s -> s.closeHandler(v -> client.close()))
      .onFailure(e -> client.close());
  }

  private static void attempt(Vertx vertx, NetClient client, TransportOptions t, String field, long deadline,
                              Duration delay, Promise<NetSocket> result) {
    client.connect(t.port(), t.host()).onComplete(ar -> {
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
      vertx.setTimer(wait, id -> attempt(vertx, client, t, field, deadline, t.retry().next(delay), result));
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
