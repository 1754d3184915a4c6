package io.xfernode.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps what is logged while it is open, for tests that a user's action leaves at most one line in the
 * log, and never a stack trace, or that something was logged.
 */
public final class LogWatch extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<ILoggingEvent> events = new ArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private LogWatch() {
  }

  public static LogWatch watch() {
    LogWatch w = new LogWatch();
    w.setContext(w.root.getLoggerContext());
    w.start();
    w.root.addAppender(w);
    return w;
  }

  @Override
  protected synchronized void append(ILoggingEvent event) {
    events.add(event);
  }

  /** @return every line logged while open, as it reads */
  public synchronized List<String> messages() {
    return events.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** @return the lines logged at ERROR, and those that carried a stack trace, as they read */
  public synchronized List<String> errorsAndStackTraces() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : events) {
      if (e.getLevel() == Level.ERROR || e.getThrowableProxy() != null) {
        out.add(e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
          + (e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + ": "
          + e.getThrowableProxy().getMessage() + "]"));
      }
    }
    return out;
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
