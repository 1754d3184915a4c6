package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementContext;
import io.xfernode.link.MappedWriteStream;
import io.xfernode.net.HttpExchange;
import io.xfernode.net.HttpFailures;
import io.xfernode.net.HttpOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@code http} source. At setup it sends the GET and waits for the response's head, which it
 * keeps paused; at start it pipes the body into the output. Its client is its own, closed at release,
 * which closes the connection whatever state it is in.
 */
final class HttpGet extends HttpExchange {

  private static final Logger log = LoggerFactory.getLogger(HttpGet.class);

  private final Promise<Void> head = Promise.promise();
  private HttpClientResponse response;
  private Throwable broken;

  HttpGet(HttpOptions options) {
    super(options);
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    open(ctx);
    if (options.timeout() != null) {
      timer = ctx.vertx().setTimer(options.timeout().toMillis(), id -> {
        timer = -1;
        head.tryFail(new XferException(ErrorCode.TIMEOUT, ctx.name() + ".timeout: " + options.describe()
          + " did not answer within " + options.timeout()));
        reset();
      });
    }
    checkedRequest().compose(client::request)
      .compose(req -> {
        request = req;
        // the failure, if any, is reported once by this element; without a handler Vert.x logs a reset as an error
        req.exceptionHandler(t -> log.debug("transfer {}: {} request: {}", ctx.transferId(), ctx.name(), t));
        return req.send();
      })
      .onComplete(ar -> {
        cancelTimer();
        if (ar.succeeded()) {
          onResponse(ar.result());
        } else {
          head.tryFail(HttpFailures.transport(ctx.name(), options.describe(), ar.cause()));
        }
      });
    return head.future();
  }

  /** Runs as the head arrives, before any of the body can: pausing here loses nothing. */
  private void onResponse(HttpClientResponse resp) {
    resp.pause();
    if (head.future().isComplete()) {
      // timed out or cancelled meanwhile; release closes the connection
      return;
    }
    // until start pipes it, a failure of the paused response (the server hanging up) is kept for start
    resp.exceptionHandler(t -> {
      log.debug("transfer {}: {} response: {}", ctx.transferId(), ctx.name(), t.toString());
      broken = t;
    });
    int status = resp.statusCode();
    String finalUrl = resp.request().absoluteURI();
    if (status < 200 || status > 299) {
      boolean redirected = resp.request().numberOfRedirections() > 0;
      String what = options.describe() + (redirected ? " (redirected to " + finalUrl + ")" : "");
      head.tryFail(HttpFailures.status(ctx.name() + ".url", what, status, resp.statusMessage()));
      return;
    }
    response = resp;
    long length = contentLength(resp);
    if (length >= 0) {
      ctx.total(length);
    }
    ctx.info(new JsonObject().put("message", options.describe() + " answered " + status)
      .put("status", status).put("url", finalUrl).put("length", length));
    log.debug("transfer {}: {} {} answered {}, length {}", ctx.transferId(), ctx.name(), options.describe(), status,
      length);
    head.tryComplete();
  }

  private static long contentLength(HttpClientResponse resp) {
    String value = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (value == null || resp.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (broken != null) {
      return Future.failedFuture(HttpFailures.transport(ctx.name(), options.describe(), broken));
    }
    return response.pipe().endOnFailure(false)
      .to(MappedWriteStream.counting(ctx.outputStream(), ctx::progress))
      .recover(t -> Future.failedFuture(HttpFailures.transport(ctx.name(), options.describe(), t)));
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    cancelTimer();
    head.tryFail(reason);
    reset();
  }

  @Override
  protected void reset() {
    if (response != null) {
      response.exceptionHandler(t -> { });
    }
    super.reset();
  }
}
