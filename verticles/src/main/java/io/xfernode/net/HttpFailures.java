package io.xfernode.net;

import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;

/**
 * How the {@code http} elements fail. An answer that is not 2xx keeps its status in the message, and maps
 * to a code of the API:
 * <ul>
 *   <li>404 → 404 (not found);</li>
 *   <li>5xx → 502 (the server failed: an outside party);</li>
 *   <li>any other 4xx → 400 (the request was wrong: the URL, its credentials or its headers);</li>
 *   <li>a 1xx or a 3xx that was not followed → 400 (the URL does not lead to the bytes).</li>
 * </ul>
 * A failure of the connection maps to 503, its timeout to 504, and a TLS failure to 403: TLS fails
 * closed and is never retried in cleartext.
 */
public final class HttpFailures {

  private HttpFailures() {
  }

  /** @return the API code for an HTTP status that is not 2xx */
  public static int code(int status) {
    if (status == 404) {
      return ErrorCode.NOT_FOUND;
    }
    return status >= 500 ? ErrorCode.BAD_GATEWAY : ErrorCode.BAD_REQUEST;
  }

  /**
   * @param field the URL's field, e.g. {@code source.url}
   * @param what  the request, e.g. {@code GET http://host/x}
   * @return {@code source.url: GET http://host/x answered 404 Not Found}
   */
  public static XferException status(String field, String what, int status, String reason) {
    String r = reason == null || reason.isBlank() ? "" : " " + reason.replaceAll("\\p{Cntrl}", "?");
    return new XferException(code(status), field + ": " + what + " answered " + status + r);
  }

  /**
   * @param element the element's name, e.g. {@code source}; its {@code url} or {@code tls} field is named
   * @return an {@link XferException} as it is; otherwise the failure of the connection, named after the request
   */
  public static XferException transport(String element, String what, Throwable t) {
    if (t instanceof XferException) {
      return (XferException) t;
    }
    String detail = rootMessage(t);
    if (isTls(t)) {
      return new XferException(ErrorCode.FORBIDDEN, element + ".tls: TLS for " + what + " failed: " + detail);
    }
    if (isTimeout(t)) {
      return new XferException(ErrorCode.TIMEOUT, element + ".url: " + what + " timed out: " + detail);
    }
    if (t instanceof ConnectException || t instanceof UnknownHostException) {
      return new XferException(ErrorCode.UNAVAILABLE, element + ".url: " + what + ": cannot connect: " + detail);
    }
    return new XferException(ErrorCode.UNAVAILABLE, element + ".url: " + what + " failed: " + detail);
  }

  static boolean isTls(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SSLException || c instanceof CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** Vert.x and Netty each have their own timeout exception; their names say what they are. */
  static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.util.concurrent.TimeoutException || c.getClass().getSimpleName().contains("Timeout")) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
