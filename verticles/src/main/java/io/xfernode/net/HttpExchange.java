package io.xfernode.net;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;

/**
 * What the running {@code http} source and sink share: a client of their own (closed at release, which
 * closes the connection whatever its state), the one request, and a timer for {@code timeout}.
 */
public abstract class HttpExchange extends Element {

  protected final HttpOptions options;
  protected ElementContext ctx;
  protected HttpClientAgent client;
  protected HttpClientRequest request;
  protected long timer = -1;

  protected HttpExchange(HttpOptions options) {
    this.options = options;
  }

  /** Makes this exchange's client; call first in setup. */
  protected void open(ElementContext ctx) {
    this.ctx = ctx;
    client = ctx.vertx().createHttpClient(options.clientOptions());
  }

  /** Resets the request, so that the server sees an aborted exchange. */
  protected void reset() {
    if (request != null) {
      request.reset();
    }
  }

  protected void cancelTimer() {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
      timer = -1;
    }
  }

  @Override
  public Future<Void> release(ElementContext ctx) {
    if (this.ctx != null) {
      cancelTimer();
    }
    return client == null ? Future.succeededFuture() : client.close();
  }
}
