package io.xfernode.net;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;

/**
 * What the running {@code http} source and sink share: a client of their own (closed at release, which
 * closes the connection whatever its state), the one request, and a timer for {@code timeout}. The URL's
 * host, and that of every redirect, is resolved and checked against the node's {@code egress} rules first,
 * and the request goes to the address that was checked.
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
    client = ctx.vertx().httpClientBuilder().with(options.clientOptions()).withRedirectHandler(this::redirect).build();
  }

  /** @return the element's request, to the address its URL's host resolved to, once egress allowed it */
  protected Future<RequestOptions> checkedRequest() {
    RequestOptions o = options.requestOptions();
    java.net.URI uri = java.net.URI.create(options.url());
    int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    return checked(o, uri.getHost(), port);
  }

  private Future<RequestOptions> checked(RequestOptions o, String host, int port) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    return ctx.blocking("egress", () -> ctx.env().egress().check(bare, port, ctx.name() + ".url"))
      .map(address -> o.setServer(Egress.target(bare, address, port)));
  }

  /** Vert.x's redirect rules, and the target checked like the URL itself. */
  private Future<RequestOptions> redirect(HttpClientResponse resp) {
    Future<RequestOptions> next = HttpClientAgent.DEFAULT_REDIRECT_HANDLER.apply(resp);
    return next == null ? null : next.compose(o -> checked(o, o.getHost(), o.getPort()));
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
