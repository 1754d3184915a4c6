package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Shows a running transfer's progress (SPEC 2.6). On a terminal it is one line redrawn in place with
 * {@code \r}; elsewhere a plain line at most once a second; quiet, nothing. Time comes from an injected
 * clock, so tests drive it without sleeping.
 */
final class ProgressRenderer {

  /** How progress is shown. */
  enum Mode {
    /** One line, redrawn in place. */
    TTY,
    /** A plain line at most once a second. */
    PLAIN,
    /** Nothing. */
    QUIET
  }

  static final long PLAIN_INTERVAL_MS = 1000;

  private final Mode mode;
  private final PrintWriter err;
  private final LongSupplier clock;
  private long startedAt;
  private long lastPlainAt = Long.MIN_VALUE;
  private int drawnWidth;
  private JsonObject last;

  /**
   * @param err   where progress goes (stderr, so that stdout stays for results)
   * @param clock milliseconds, e.g. {@code System::currentTimeMillis}
   */
  ProgressRenderer(Mode mode, PrintWriter err, LongSupplier clock) {
    this.mode = mode;
    this.err = err;
    this.clock = clock;
    this.startedAt = clock.getAsLong();
  }

  Mode mode() {
    return mode;
  }

  /** The transfer has been running for {@code millis} already (when following one that started earlier). */
  void runningFor(long millis) {
    startedAt = clock.getAsLong() - Math.max(0, millis);
  }

  /** A progress event (SPEC 2.3): {@code bytes}, {@code total}, {@code rateBps}, and for trees {@code filesDone}, {@code filesTotal}. */
  void update(JsonObject progress) {
    last = progress;
    draw();
  }

  /** No news, but time passed: the elapsed time and ETA move on a terminal. */
  void tick() {
    if (last != null && mode == Mode.TTY) {
      draw();
    }
  }

  private void draw() {
    long now = clock.getAsLong();
    switch (mode) {
      case TTY -> {
        String line = String.join("  ", fields(last, now - startedAt));
        int pad = Math.max(0, drawnWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        // what the terminal shows: the longest line so far, since shorter ones are padded over it
        drawnWidth = Math.max(drawnWidth, line.length());
      }
      case PLAIN -> {
        if (lastPlainAt != Long.MIN_VALUE && now - lastPlainAt < PLAIN_INTERVAL_MS) {
          return;
        }
        lastPlainAt = now;
        err.println("progress " + String.join(", ", fields(last, now - startedAt)));
        err.flush();
      }
      default -> {
        // quiet
      }
    }
  }

  /** Ends the redrawn line, so that what comes next starts on a line of its own. */
  void finish() {
    if (mode == Mode.TTY && drawnWidth > 0) {
      err.print("\r" + " ".repeat(drawnWidth) + "\r");
      err.flush();
      drawnWidth = 0;
    }
  }

  /** The pieces of a progress line: bytes, percent, rate, ETA, elapsed, files. */
  static List<String> fields(JsonObject progress, long elapsedMs) {
    long bytes = progress.getLong("bytes", 0L);
    long total = progress.getLong("total", -1L);
    double rate = progress.getLong("rateBps", 0L);
    if (rate <= 0 && elapsedMs > 0) {
      rate = bytes * 1000.0 / elapsedMs;
    }
    List<String> out = new ArrayList<>();
    out.add(total > 0 ? Units.bytes(bytes) + " / " + Units.bytes(total) : Units.bytes(bytes));
    if (total > 0) {
      out.add(Units.percent(bytes, total));
    }
    out.add(Units.rate(rate));
    if (total > 0 && rate > 0 && bytes < total) {
      out.add("ETA " + Units.clock(Math.round((total - bytes) * 1000.0 / rate)));
    }
    out.add("elapsed " + Units.clock(elapsedMs));
    Long files = progress.getLong("filesTotal");
    if (files != null && files > 0) {
      out.add("files " + progress.getLong("filesDone", 0L) + "/" + files);
    }
    return out;
  }

  /**
   * The one line after the end, from the final status: {@code DONE t1: 100.0 MiB in 2.30 s, 43.5 MiB/s
   * average, sha256 ab12…}; for a transfer that did not succeed, its state and error.
   */
  static String summary(JsonObject status, long fallbackMs) {
    String state = status.getString("state");
    long bytes = status.getLong("bytes", 0L);
    long ms = durationMs(status, fallbackMs);
    StringBuilder line = new StringBuilder(state).append(' ').append(status.getString("id")).append(": ")
      .append(Units.bytes(bytes)).append(" in ").append(Units.duration(ms));
    if (ms > 0) {
      line.append(", ").append(Units.rate(bytes * 1000.0 / ms)).append(" average");
    }
    JsonObject checksum = status.getJsonObject("checksum");
    if (checksum != null && checksum.getString("value") != null) {
      line.append(", ").append(checksum.getString("algorithm", "checksum")).append(' ')
        .append(checksum.getString("value"));
    }
    JsonObject error = status.getJsonObject("error");
    if (error != null && !"DONE".equals(state)) {
      line.append("; ").append(errorText(error));
    }
    return line.toString();
  }

  /** {@code 503 sink: the node left} from a status's {@code error}. */
  static String errorText(JsonObject error) {
    StringBuilder s = new StringBuilder();
    if (error.getValue("code") != null) {
      s.append(error.getValue("code")).append(' ');
    }
    String message = error.getString("message", "");
    String element = error.getString("element");
    if (element != null && !message.startsWith(element)) {
      s.append(element).append(": ");
    }
    return s.append(message).toString();
  }

  private static long durationMs(JsonObject status, long fallbackMs) {
    try {
      String from = status.getString("runningAt") != null ? status.getString("runningAt") : status.getString("startedAt");
      String to = status.getString("endedAt");
      if (from != null && to != null) {
        return java.time.Duration.between(java.time.Instant.parse(from), java.time.Instant.parse(to)).toMillis();
      }
    } catch (RuntimeException e) {
      // a node that writes no ISO instants: the client's own measure will do
    }
    return fallbackMs;
  }
}
