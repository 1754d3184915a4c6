package io.xfernode.node.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Headless Chromium driven from its command line ({@code --dump-dom}, {@code --screenshot}), so the tests
 * need no WebDriver. Where no browser is installed, it is installed once per JVM from the Debian packages
 * ({@code apt-get install -y chromium}) when the tests run as root with apt; where that cannot be done,
 * {@link #require()} skips the test and says why.
 */
final class Chromium {

  private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/chromium"),
    Path.of("/usr/bin/chromium-browser"), Path.of("/usr/bin/google-chrome"), Path.of("/usr/bin/google-chrome-stable"));
  /** What installing may take in all (apt-get install, and update then install again): a bounded cost to the build. */
  private static final long INSTALL_MINUTES = 5;
  private static long installDeadline;
  private static final long RUN_SECONDS = 60;

  private final Path binary;

  private Chromium(Path binary) {
    this.binary = binary;
  }

  /** What looking for (and perhaps installing) the browser found; decided once per JVM. */
  private record Lookup(Path binary, String reason) {

    private static final Lookup ONCE = find();
  }

  /** The browser, or the test is skipped with the reason it cannot have one. */
  static Chromium require() {
    Lookup lookup = Lookup.ONCE;
    assumeTrue(lookup.binary() != null, () -> "headless Chromium is not available, so the dashboard's browser "
      + "test is skipped: " + lookup.reason());
    return new Chromium(lookup.binary());
  }

  private static Lookup find() {
    Path found = installed();
    if (found != null) {
      return new Lookup(found, null);
    }
    String why = install();
    found = installed();
    return found != null ? new Lookup(found, null)
      : new Lookup(null, why != null ? why : "apt-get installed chromium, yet none of " + CANDIDATES + " exists");
  }

  private static Path installed() {
    return CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
  }

  /** @return why the browser could not be installed, or null when apt-get said it was */
  private static String install() {
    Path aptGet = Path.of("/usr/bin/apt-get");
    if (!Files.isExecutable(aptGet)) {
      return "none of " + CANDIDATES + " exists, and there is no apt-get to install the chromium package with";
    }
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (!Integer.valueOf(0).equals(uid)) {
        return "none of " + CANDIDATES + " exists, and installing the chromium package needs root (uid " + uid
          + "): run `apt-get install -y chromium` as root";
      }
      installDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(INSTALL_MINUTES);
      Path log = Files.createDirectories(Path.of("target")).resolve("chromium-install.log");
      if (run(log, aptGet.toString(), "install", "-y", "chromium") == 0) {
        return null;
      }
      // a fresh machine's package lists may be empty or stale
      if (run(log, aptGet.toString(), "update") == 0 && run(log, aptGet.toString(), "install", "-y", "chromium") == 0) {
        return null;
      }
      return "`apt-get install -y chromium` failed; see " + log.toAbsolutePath();
    } catch (IOException | UnsupportedOperationException e) {
      return "installing the chromium package failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while installing the chromium package";
    }
  }

  private static int run(Path log, String... command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    Process p = pb.start();
    if (!p.waitFor(Math.max(1, installDeadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /**
   * Loads {@code url}, lets the page run for {@code budgetMs} of the browser's virtual time (which waits for
   * the network), and returns the DOM it then has, serialized.
   */
  String dumpDom(String url, int budgetMs) throws IOException, InterruptedException {
    Path out = Files.createTempFile("dashboard-dom", ".html");
    try {
      browse(out, "--virtual-time-budget=" + budgetMs, "--dump-dom", url);
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Loads {@code url} the same way and saves what a 1280×900 window shows as a PNG at {@code png}. */
  void screenshot(String url, int budgetMs, Path png) throws IOException, InterruptedException {
    Files.deleteIfExists(png);
    Path out = Files.createTempFile("dashboard-shot", ".log");
    try {
      browse(out, "--virtual-time-budget=" + budgetMs, "--window-size=1280,900", "--hide-scrollbars",
        "--screenshot=" + png.toAbsolutePath(), url);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** A page at {@code url} that the test drives over the DevTools protocol; close it when done. */
  DevTools devTools(String url) throws Exception {
    return DevTools.open(binary, url);
  }

  private void browse(Path stdout, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory("chromium-profile");
    try {
      List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless=new", "--disable-gpu",
        "--no-sandbox", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(RUN_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException("chromium did not finish within " + RUN_SECONDS + " s: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("chromium exited with " + p.exitValue() + ": " + command);
      }
    } finally {
      deleteTree(profile);
    }
  }

  /** Best effort: a browser process that outlived its main one may still be writing its profile. */
  static void deleteTree(Path dir) {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // a temporary directory: the system cleans it up in the end
    }
  }
}
