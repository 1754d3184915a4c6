package io.xfernode.test;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Fails a test class if Vert.x reported a blocked event-loop thread while it ran. Registered for every
 * test through JUnit's extension auto-detection (see junit-platform.properties), so no test can block an
 * event loop unnoticed. Event loops are checked with a short limit: see {@link TestVertx}.
 */
public final class NoBlockedThreads implements BeforeAllCallback, AfterAllCallback {

  /** The logger Vert.x's blocked-thread checker writes to. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final Recorder RECORDER = install();

  private static Recorder install() {
    Recorder recorder = new Recorder();
    if (LoggerFactory.getLogger(CHECKER_LOGGER) instanceof Logger) {
      Logger logger = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
      recorder.setContext(logger.getLoggerContext());
      recorder.start();
      logger.addAppender(recorder);
    }
    return recorder;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    RECORDER.drain();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> blocked = RECORDER.drain();
    blocked.removeIf(m -> !m.contains("vert.x-eventloop-thread"));
    if (!blocked.isEmpty()) {
      throw new AssertionError("an event loop was blocked during " + context.getDisplayName() + ":\n"
        + String.join("\n", blocked));
    }
  }

  private static final class Recorder extends AppenderBase<ILoggingEvent> {
    private final List<String> messages = new ArrayList<>();

    @Override
    protected synchronized void append(ILoggingEvent event) {
      messages.add(event.getFormattedMessage());
    }

    synchronized List<String> drain() {
      List<String> out = new ArrayList<>(messages);
      messages.clear();
      return out;
    }
  }
}
