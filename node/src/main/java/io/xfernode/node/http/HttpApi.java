package io.xfernode.node.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl;
import io.xfernode.api.Addresses;
import io.xfernode.api.Caller;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.node.auth.Tokens;
import io.xfernode.node.bridge.FrameGate;
import io.xfernode.node.control.Requests;
import io.xfernode.node.net.Listener;
import io.xfernode.transport.TlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The HTTP face of the control API (SPEC 2.1), mapped one to one onto the event-bus addresses of this node,
 * plus the SockJS event-bus bridge. A failure is answered with the SPEC's code as the HTTP status and
 * {@code {"code", "message"}} as the body. {@code GET /} serves the {@link Dashboard}.
 */
public final class HttpApi implements Listener {

  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  static final long REQUEST_TIMEOUT_MS = 120_000;

  private final Vertx vertx;
  private final HttpServer server;

  private HttpApi(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /**
   * @param sockjsPath      where the SockJS bridge is mounted, e.g. {@code /eventbus}
   * @param maxRequestBytes the largest request body
   * @param host            the host the port binds, for the node's own origin
   * @param allowedOrigins  {@code http.allowedOrigins}: other origins browsers may call from
   * @param tokens          the tokens API requests (and /metrics) must carry; none configured: open
   * @param openHealth      whether /health answers without a token ({@code auth.openHealth})
   * @param operations      mounts the operations' paths (SPEC 2.7: {@code /health}, {@code /metrics}), after
   *                        the browser rules, which apply to them too
   */
  public static HttpApi create(Vertx vertx, String sockjsPath, int maxRequestBytes, TlsConfig tls, String host,
                               List<String> allowedOrigins, Tokens tokens, boolean openHealth,
                               Handler<Router> operations) {
    Router router = Router.router(vertx);
    router.route().handler(new BrowserRules(host, tls != null, allowedOrigins));
    router.route("/api/*").handler(new BearerAuth(tokens));
    // Prometheus sends a bearer token too; /health as well, unless auth.openHealth leaves it to probes
    router.route("/metrics").handler(new BearerAuth(tokens));
    if (!openHealth) {
      router.route("/health*").handler(new BearerAuth(tokens));
    }
    operations.handle(router);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(maxRequestBytes));
    HttpApi api = new HttpApi(vertx, null);
    router.post("/api/transfers").handler(ctx -> api.forward(ctx, Addresses.SUBMIT, api.body(ctx), 201));
    router.post("/api/plan").handler(ctx -> api.forward(ctx, Addresses.PLAN, api.body(ctx), 200));
    router.get("/api/transfers").handler(ctx -> api.forward(ctx, Addresses.LIST, query(ctx), 200));
    router.get("/api/transfers/:id").handler(ctx -> api.forward(ctx, Addresses.STATUS,
      new JsonObject().put("id", ctx.pathParam("id")), 200));
    router.delete("/api/transfers/:id").handler(ctx -> api.forward(ctx, Addresses.CANCEL,
      withReason(ctx), 200));
    router.get("/api/transfers/:id/events").handler(ctx -> EventStream.serve(vertx, ctx, ctx.pathParam("id")));
    router.get("/api/events").handler(ctx -> ClusterEventStream.serve(vertx, ctx));
    router.get("/api/nodes").handler(ctx -> api.forward(ctx, Addresses.NODES, new JsonObject(), 200));
    router.get("/api/listeners").handler(ctx -> api.forward(ctx, Addresses.LISTENERS, new JsonObject(), 200));
    router.get("/api/pools").handler(ctx -> api.forward(ctx, Addresses.POOLS, new JsonObject().put("op", "list"), 200));
    router.route().failureHandler(HttpApi::failure);
    EventBusBridgeImpl sockjsBridge = new EventBusBridgeImpl(vertx, null, sockjsOptions(), null);
    FrameGate gate = new FrameGate(tokens, maxRequestBytes);
    int transportLimit = transportLimit(maxRequestBytes);
    // the XHR and JSONP transports post their frames; SockJS reads them from a body it needs a handler for
    router.post(sockjsPath + "/*").handler(BodyHandler.create(false).setBodyLimit(transportLimit));
    router.route(sockjsPath + "/*").subRouter(SockJSHandler.create(vertx)
      .socketHandler(socket -> sockjsBridge.handle(new GatedSockJSSocket(vertx, socket, gate, transportLimit))));
    Dashboard.mount(router);
    HttpServerOptions options = new HttpServerOptions().setCompressionSupported(true)
      .setMaxWebSocketFrameSize(transportLimit).setMaxWebSocketMessageSize(transportLimit);
    if (tls != null) {
      tls.applyTo(options);
    }
    HttpServer server = vertx.createHttpServer(options).requestHandler(router);
    return new HttpApi(vertx, server);
  }

  /**
   * The largest WebSocket frame or message, and SockJS POST body, the HTTP port takes. A bridge frame may be
   * up to {@code limits.maxRequestBytes}, and SockJS sends it as a JSON string inside a JSON array, which
   * escapes its quotes: twice the limit, and some, lets every frame up to the limit arrive whole, and one
   * above it reach {@link FrameGate}, which answers it with an err frame that names the limit. Only a
   * message beyond this closes its socket (1009).
   */
  static int transportLimit(int maxRequestBytes) {
    return (int) Math.min(Integer.MAX_VALUE, 2L * maxRequestBytes + 64 * 1024);
  }

  static SockJSBridgeOptions sockjsOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions();
    for (String address : Addresses.PUBLIC_REQUESTS) {
      options.addInboundPermitted(new PermittedOptions().setAddress(address));
    }
    options.addInboundPermitted(new PermittedOptions().setAddressRegex(Addresses.DATA_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.PUBLIC_EVENTS_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.CLIENT_REGEX));
    return options;
  }

  private JsonObject body(RoutingContext ctx) {
    String text = ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw XferException.badRequest("request", "a JSON object is required");
    }
    return Requests.parseObject(text);
  }

  private static JsonObject query(RoutingContext ctx) {
    JsonObject q = new JsonObject();
    ctx.queryParams().forEach(e -> q.put(e.getKey(), e.getKey().equals("limit") && e.getValue().matches("\\d{1,9}")
      ? (Object) Integer.parseInt(e.getValue()) : e.getValue()));
    return q;
  }

  private static JsonObject withReason(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("id", ctx.pathParam("id"));
    String reason = ctx.queryParams().get("reason");
    return reason == null ? body : body.put("reason", reason);
  }

  /** Sends the request to this node's consumer of {@code address}; the reply becomes the response. */
  private void forward(RoutingContext ctx, String address, JsonObject request, int okStatus) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(REQUEST_TIMEOUT_MS);
    Caller caller = BearerAuth.caller(ctx);
    vertx.eventBus().<JsonObject>request(address, request, caller == null ? options : caller.stamp(options))
      .map(Message::body)
      .onSuccess(reply -> {
        if (ctx.response().closed()) {
          return;
        }
        if (okStatus == 201 && reply.getString("id") != null) {
          ctx.response().putHeader("Location", "/api/transfers/" + reply.getString("id"));
        }
        ctx.response().setStatusCode(okStatus).putHeader("Content-Type", "application/json").end(reply.encode());
      })
      .onFailure(ctx::fail);
  }

  private static void failure(RoutingContext ctx) {
    if (ctx.failure() == null) {
      int status = ctx.statusCode();
      String message = status == 413 ? "request: larger than limits.maxRequestBytes" : "request: HTTP " + status;
      respond(ctx, status, message);
      return;
    }
    XferException refused = XferException.from(ctx.failure());
    if (refused.code() == ErrorCode.UNAUTHORIZED) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"xfernode\"");
    }
    if (ctx.response().closed() || ctx.failure() instanceof io.vertx.core.http.HttpClosedException) {
      // the client went away: nobody is left to answer, and nothing went wrong here
      log.debug("{} {}: the client closed the connection", ctx.request().method(), ctx.request().path());
      return;
    }
    XferException e = XferException.from(ctx.failure());
    if (e.code() == ErrorCode.INTERNAL) {
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    respond(ctx, e.code(), e.getMessage());
  }

  private static void respond(RoutingContext ctx, int status, String message) {
    if (!ctx.response().ended() && !ctx.response().closed()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("code", status).put("message", message).encode());
    }
  }

  @Override
  public Future<Integer> listen(String host, int port) {
    return server.listen(port, host).map(HttpServer::actualPort);
  }

  @Override
  public Future<Void> close() {
    return server.close();
  }
}
