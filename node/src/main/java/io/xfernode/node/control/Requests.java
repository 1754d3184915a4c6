package io.xfernode.node.control;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Function;

/**
 * The one way the control API turns a request into a reply: the body is read as a JSON object (a JSON
 * string is parsed; anything else is a 400), the handler's Future becomes the reply, and a failure becomes
 * an event-bus failure with the SPEC's code. User errors are logged at debug without a stack trace; an
 * internal error is logged once, with it.
 */
public final class Requests {

  private static final Logger log = LoggerFactory.getLogger(Requests.class);

  private Requests() {
  }

  public static void handle(Message<Object> msg, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      reply = handler.apply(body(msg.body()));
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        fail(msg, ar.cause());
      }
    });
  }

  /** Replies to {@code msg} with the failure {@code t}, mapped to a SPEC code. */
  public static void fail(Message<?> msg, Throwable t) {
    XferException e = XferException.from(t);
    if (e.code() == ErrorCode.INTERNAL) {
      log.error("{} failed: {}", msg.address(), e.getMessage(), t);
    } else {
      log.debug("{} refused with {}: {}", msg.address(), e.code(), e.getMessage());
    }
    msg.fail(e.code(), e.getMessage());
  }

  static JsonObject body(Object body) {
    if (body == null) {
      return new JsonObject();
    }
    if (body instanceof JsonObject) {
      return (JsonObject) body;
    }
    if (body instanceof String) {
      try {
        return new JsonObject((String) body);
      } catch (DecodeException e) {
        throw XferException.badRequest("request", "malformed JSON: " + firstLine(e.getMessage()));
      }
    }
    if (body instanceof io.vertx.core.buffer.Buffer) {
      try {
        return new JsonObject((io.vertx.core.buffer.Buffer) body);
      } catch (DecodeException e) {
        throw XferException.badRequest("request", "malformed JSON: " + firstLine(e.getMessage()));
      }
    }
    throw XferException.badRequest("request", "must be a JSON object, got " + body.getClass().getSimpleName());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "cannot parse";
    }
    s = s.replaceAll("\\s+", " ");
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
