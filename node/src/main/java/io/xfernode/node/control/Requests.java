package io.xfernode.node.control;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Caller;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.node.auth.Permissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.function.BiFunction;
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
    handleAs(msg, (body, caller) -> handler.apply(body));
  }

  /**
   * As {@link #handle(Message, Function)}, for a handler that needs to know who asks. The caller's role is
   * checked against what the address needs first ({@link Permissions#toSend}), whichever edge it came by.
   */
  public static void handleAs(Message<Object> msg, BiFunction<JsonObject, Caller, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      Caller caller = Caller.of(msg.headers());
      caller.require(Permissions.toSend(msg.address()), "address", msg.address());
      reply = handler.apply(body(msg.body()), caller);
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
      return parseObject((String) body);
    }
    if (body instanceof Buffer) {
      return parseObject(((Buffer) body).toString(StandardCharsets.UTF_8));
    }
    throw XferException.badRequest("request", "must be a JSON object, got " + kind(body));
  }

  /** Parses a request's text, which must be one JSON object; a 400 naming {@code request} otherwise. */
  public static JsonObject parseObject(String text) {
    Object value;
    try {
      value = Json.decodeValue(text);
    } catch (DecodeException e) {
      throw XferException.badRequest("request", "malformed JSON: " + describe(e));
    }
    if (value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw XferException.badRequest("request", "must be a JSON object, got " + kind(value));
  }

  private static String describe(DecodeException e) {
    if (e.getCause() instanceof JsonProcessingException) {
      JsonProcessingException cause = (JsonProcessingException) e.getCause();
      String what = cause.getOriginalMessage().lines().findFirst().orElse("cannot parse");
      JsonLocation at = cause.getLocation();
      return at == null ? what : what + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }
    String msg = e.getMessage() == null ? "cannot parse" : e.getMessage().replaceAll("\\s+", " ");
    return msg.length() > 200 ? msg.substring(0, 200) + "…" : msg;
  }

  private static String kind(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Number) {
      return "a number";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    return value.getClass().getSimpleName();
  }
}
