package io.xfernode.node.cli;

import java.util.Locale;

/** How the command line writes sizes, rates and durations for people: binary units, one decimal. */
final class Units {

  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Units() {
  }

  /** {@code 1536} → {@code "1.5 KiB"}; below 1 KiB the exact count, {@code "512 B"}. */
  static String bytes(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (value >= 1023.95 && unit < UNITS.length - 1) {
      // 1023.97 KiB would print as "1024.0 KiB"
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** A rate in bytes per second, {@code "12.5 MiB/s"}. */
  static String rate(double bytesPerSecond) {
    return bytes(Math.round(Math.max(0, bytesPerSecond))) + "/s";
  }

  /** A duration: {@code "0:07"}, {@code "12:03"}, {@code "1:02:03"}. */
  static String clock(long millis) {
    long s = Math.max(0, millis) / 1000;
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%d:%02d", m, sec);
  }

  /** A duration for a summary: {@code "0.25 s"}, {@code "12.3 s"}, or as {@link #clock} from a minute on. */
  static String duration(long millis) {
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.2f s", Math.max(0, millis) / 1000.0);
    }
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    return clock(millis);
  }

  /** A share of a whole, {@code "42%"}; never 100% before the end. */
  static String percent(long part, long whole) {
    if (whole <= 0) {
      return "";
    }
    long p = (long) Math.floor(100.0 * Math.min(part, whole) / whole);
    return (part < whole ? Math.min(p, 99) : p) + "%";
  }
}
