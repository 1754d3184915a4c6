package io.xfernode.node.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.xfernode.api.Access;
import io.xfernode.api.Caller;
import io.xfernode.node.auth.Tokens;

/**
 * With tokens configured, every API request carries {@code Authorization: Bearer <token>} (SPEC 5): none,
 * or an unknown one, is 401; a token whose role does not allow the request is 403. Reading (GET, and
 * {@code POST /api/plan}) needs {@code read}; submitting and cancelling need {@code submit}. The caller
 * goes with the request to the event-bus address it maps to, which checks it again.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private static final String CALLER = "xfer.caller";

  private final Tokens tokens;

  BearerAuth(Tokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Caller caller = tokens.authenticate(ctx.request().getHeader("Authorization"), "Authorization");
    if (caller != null) {
      caller.require(needed(ctx), "Authorization", ctx.request().method() + " " + ctx.request().path());
      ctx.put(CALLER, caller);
    }
    ctx.next();
  }

  private static Access needed(RoutingContext ctx) {
    HttpMethod m = ctx.request().method();
    if (m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD) || ctx.request().path().equals("/api/plan")) {
      return Access.READ;
    }
    return Access.SUBMIT;
  }

  /** @return who sent the request; {@code null} when the node has no tokens */
  static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }
}
