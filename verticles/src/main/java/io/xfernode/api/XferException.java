package io.xfernode.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * The one typed failure of xfernode: a code from {@link ErrorCode}, a one-line message that names the
 * offending field, and optionally the element that failed.
 *
 * <p>It is cheap to create: user errors are common and never need a stack trace.
 */
public class XferException extends RuntimeException {

  private final int code;
  private final String element;

  public XferException(int code, String message) {
    this(code, message, null, null);
  }

  public XferException(int code, String message, String element) {
    this(code, message, element, null);
  }

  public XferException(int code, String message, String element, Throwable cause) {
    super(message, cause, false, cause != null);
    this.code = code;
    this.element = element;
  }

  public static XferException badRequest(String field, String reason) {
    return new XferException(ErrorCode.BAD_REQUEST, field + ": " + reason);
  }

  public static XferException unauthorized(String field, String reason) {
    return new XferException(ErrorCode.UNAUTHORIZED, field + ": " + reason);
  }

  public static XferException forbidden(String field, String reason) {
    return new XferException(ErrorCode.FORBIDDEN, field + ": " + reason);
  }

  public static XferException notFound(String field, String reason) {
    return new XferException(ErrorCode.NOT_FOUND, field + ": " + reason);
  }

  public static XferException conflict(String field, String reason) {
    return new XferException(ErrorCode.CONFLICT, field + ": " + reason);
  }

  public static XferException internal(String message, Throwable cause) {
    return new XferException(ErrorCode.INTERNAL, message, null, cause);
  }

  public int code() {
    return code;
  }

  /** @return the name of the element that failed, or {@code null} */
  public String element() {
    return element;
  }

  /** @return a copy of this failure attributed to {@code element}, unless it already names one */
  public XferException withElement(String element) {
    if (this.element != null || element == null) {
      return this;
    }
    return new XferException(code, getMessage(), element, getCause());
  }

  /** @return {@code {"code", "message", "element"?}}, the {@code error} of a status */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code).put("message", getMessage());
    if (element != null) {
      json.put("element", element);
    }
    return json;
  }

  public static XferException fromJson(JsonObject json) {
    return new XferException(json.getInteger("code", ErrorCode.INTERNAL),
      json.getString("message", "unknown error"), json.getString("element"));
  }

  /**
   * Maps any failure to an {@code XferException}: an {@code XferException} stays as it is, a
   * {@link ReplyException} keeps its code (a timeout becomes 504, no handler 503), anything else is a 500.
   */
  public static XferException from(Throwable t) {
    if (t instanceof XferException) {
      return (XferException) t;
    }
    if (t instanceof ReplyException) {
      ReplyException re = (ReplyException) t;
      if (re.failureType() == ReplyFailure.TIMEOUT) {
        return new XferException(ErrorCode.TIMEOUT, "timed out: " + re.getMessage());
      }
      if (re.failureType() == ReplyFailure.NO_HANDLERS) {
        return new XferException(ErrorCode.UNAVAILABLE, "unavailable: " + re.getMessage());
      }
      int code = ErrorCode.isKnown(re.failureCode()) ? re.failureCode() : ErrorCode.INTERNAL;
      return new XferException(code, String.valueOf(re.getMessage()));
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return new XferException(ErrorCode.INTERNAL, message, null, t);
  }

  /** @return the event-bus failure that carries this error to a requester */
  public ReplyException toReplyException() {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, getMessage());
  }
}
