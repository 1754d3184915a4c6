package io.xfernode.node.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What keeps a web page in a browser from driving the node (SPEC 5): a request with an {@code Origin} that
 * is neither the node's own nor in {@code http.allowedOrigins} is refused with 403, the SockJS endpoint
 * included; a request that changes state must say {@code Content-Type: application/json}, which a page
 * cannot send to another origin without the browser asking first. Every answer carries
 * {@code X-Content-Type-Options: nosniff} and a restrictive {@code Content-Security-Policy}.
 */
final class BrowserRules implements Handler<RoutingContext> {

  private static final Set<HttpMethod> CHANGES_STATE = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE,
    HttpMethod.PATCH);
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "::1", "[::1]");

  private final String host;
  private final boolean tls;
  private final List<String> allowed;

  /**
   * @param host    the host the HTTP port binds: with the port a request arrived on, the node's own origin
   * @param tls     whether the port speaks https
   * @param allowed further origins ({@code scheme://host[:port]}), or {@code "*"} for any
   */
  BrowserRules(String host, boolean tls, List<String> allowed) {
    this.host = host;
    this.tls = tls;
    this.allowed = allowed.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public void handle(RoutingContext ctx) {
    ctx.response()
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
    String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !allowed(origin.toLowerCase(Locale.ROOT), ctx)) {
      refuse(ctx, 403, "Origin: " + origin + " is not this node's origin nor in http.allowedOrigins");
      return;
    }
    if (CHANGES_STATE.contains(ctx.request().method()) && !json(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
      refuse(ctx, 400, "Content-Type: a request that changes state must be application/json, got "
        + (ctx.request().getHeader(HttpHeaders.CONTENT_TYPE) == null ? "none"
        : ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)));
      return;
    }
    ctx.next();
  }

  private boolean allowed(String origin, RoutingContext ctx) {
    if (allowed.contains("*") || allowed.contains(origin)) {
      return true;
    }
    int port = ctx.request().localAddress().port();
    String scheme = tls ? "https" : "http";
    if (LOOPBACK.contains(host)) {
      return LOOPBACK.stream().anyMatch(h -> origin.equals(scheme + "://" + (h.equals("::1") ? "[::1]" : h) + ":" + port));
    }
    // bound to every interface: the address the request arrived on is the node's own
    String own = "0.0.0.0".equals(host) || "::".equals(host) ? ctx.request().localAddress().hostAddress() : host;
    return origin.equals(scheme + "://" + (own.contains(":") ? "[" + own + "]" : own).toLowerCase(Locale.ROOT) + ":" + port);
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private static void refuse(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(new JsonObject().put("code", status).put("message", message).encode());
  }
}
