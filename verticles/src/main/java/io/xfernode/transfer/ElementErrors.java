package io.xfernode.transfer;

import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns what an element threw into an {@link XferException} with the SPEC's code and a one-line message. */
public final class ElementErrors {

  private ElementErrors() {
  }

  public static XferException classify(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof XferException) {
      return (XferException) c;
    }
    String detail = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().replaceAll("\\s+", " ");
    if (c instanceof NoSuchFileException || c instanceof NotDirectoryException) {
      return new XferException(ErrorCode.NOT_FOUND, "no such file or directory: " + detail);
    }
    if (c instanceof AccessDeniedException) {
      return new XferException(ErrorCode.FORBIDDEN, "permission denied: " + detail);
    }
    if (c instanceof FileAlreadyExistsException) {
      return new XferException(ErrorCode.CONFLICT, "already exists: " + detail);
    }
    if (c instanceof FileSystemException) {
      FileSystemException fse = (FileSystemException) c;
      return new XferException(ErrorCode.INTERNAL, "file system error: " + fse.getFile()
        + (fse.getReason() == null ? "" : ": " + fse.getReason()));
    }
    if (c instanceof SocketTimeoutException || c instanceof java.util.concurrent.TimeoutException) {
      return new XferException(ErrorCode.TIMEOUT, "timed out: " + detail);
    }
    if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
      return new XferException(ErrorCode.UNAVAILABLE, "cannot connect: " + detail);
    }
    if (c instanceof io.vertx.core.file.FileSystemException) {
      return new XferException(ErrorCode.NOT_FOUND, "cannot use a file: " + detail);
    }
    if (c instanceof InterruptedException || c instanceof ClosedByInterruptException) {
      return new XferException(ErrorCode.INTERNAL, "cancelled: " + detail);
    }
    if (c instanceof java.net.SocketException || c instanceof java.nio.channels.ClosedChannelException
      || "Connection was closed".equals(c.getMessage()) || lostConnection(c)) {
      return new XferException(ErrorCode.UNAVAILABLE, "the connection failed: " + detail);
    }
    if (c instanceof EOFException) {
      return new XferException(ErrorCode.INTERNAL, "unexpected end of data: " + detail);
    }
    return XferException.from(c);
  }

  /** A reset or a broken pipe: the peer is gone, which is a 503 (an unavailable node), not an internal error. */
  private static boolean lostConnection(Throwable c) {
    String m = c.getMessage();
    return c instanceof java.io.IOException && m != null
      && (m.contains("Connection reset") || m.contains("Broken pipe") || m.contains("connection was aborted"));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof java.util.concurrent.ExecutionException || c instanceof java.util.concurrent.CompletionException
      || c instanceof java.io.UncheckedIOException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
