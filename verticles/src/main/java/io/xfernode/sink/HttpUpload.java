package io.xfernode.sink;

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

/**
 * The running {@code http} sink. Setup opens the request (and so its connection); start pipes the input
 * into the request's body. It is done once the body is all sent and a 2xx response has been read to its
 * end. Anything else resets the request, so that the server never takes a cut body for a whole one.
 */
final class HttpUpload extends HttpExchange {

  private final Promise<Void> done = Promise.promise();
  private boolean bodySent;
  private boolean responded;
  private boolean responseEnded;

  HttpUpload(HttpOptions options) {
    super(options);
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    open(ctx);
    return checkedRequest().compose(client::request)
      .recover(t -> Future.failedFuture(HttpFailures.transport(ctx.name(), options.describe(), t)))
      .map(req -> {
        request = req;
        // set while the request is open (an ended one refuses it): a pipe does not set one, and a request
        // failing with none, if only from our own reset, is logged by Vert.x as an error
        req.exceptionHandler(this::fail);
        if (ctx.cancelled()) {
          // cancelled while it connected: cancel() saw no request to reset
          req.reset();
        }
        return null;
      });
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (done.future().isComplete()) {
      // the connection failed between setup and start
      return done.future();
    }
    request.setChunked(!options.hasHeader(HttpHeaders.CONTENT_LENGTH));
    request.response().onComplete(ar -> {
      if (ar.succeeded()) {
        onResponse(ar.result());
      } else {
        fail(ar.cause());
      }
    });
    ctx.inputStream().pipe().endOnFailure(false)
      .to(MappedWriteStream.counting(request, ctx::progress))
      .onComplete(ar -> {
        if (ar.failed()) {
          fail(ar.cause());
          return;
        }
        bodySent = true;
        if (!responded && options.timeout() != null) {
          timer = ctx.vertx().setTimer(options.timeout().toMillis(), id -> {
            timer = -1;
            fail(new XferException(ErrorCode.TIMEOUT, ctx.name() + ".timeout: " + options.describe()
              + " did not answer within " + options.timeout() + " of the end of the body"));
          });
        }
        maybeDone();
      });
    return done.future();
  }

  private void onResponse(HttpClientResponse resp) {
    responded = true;
    cancelTimer();
    // a reset reaches the response too; without a handler Vert.x logs it as an error
    resp.exceptionHandler(t -> { });
    int status = resp.statusCode();
    if (status < 200 || status > 299) {
      // the server may answer before it has read the whole body: stop sending it
      fail(HttpFailures.status(ctx.name() + ".url", options.describe(), status, resp.statusMessage()));
      return;
    }
    ctx.info(new JsonObject().put("message", options.describe() + " answered " + status).put("status", status));
    resp.exceptionHandler(this::fail);
    resp.handler(b -> {
      // the answer's body is not ours to keep
    });
    resp.endHandler(v -> {
      responseEnded = true;
      maybeDone();
    });
  }

  private void maybeDone() {
    if (bodySent && responseEnded) {
      done.tryComplete();
    }
  }

  private void fail(Throwable t) {
    cancelTimer();
    if (done.tryFail(HttpFailures.transport(ctx.name(), options.describe(), t))) {
      reset();
    }
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    cancelTimer();
    done.tryFail(reason);
    reset();
  }
}
