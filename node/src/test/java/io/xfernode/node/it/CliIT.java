package io.xfernode.node.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The command line of SPEC 2.6 as a user runs it: {@code java -jar xfernode.jar SUBCOMMAND} in a process of
 * its own, off a terminal and under a pseudo-terminal, against a cluster of two nodes started from the fat
 * jar (the commands talk to cli0).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class CliIT {

  @TempDir
  static Path dir;

  private final List<NodeProcess> nodes = new ArrayList<>();
  private int bridgePort;
  /** The root {@code data} of node cli0, the one the commands talk to, and of cli1. */
  private Path root;
  private Path root1;

  @BeforeAll
  void startNodes() throws Exception {
    int[] members = FreePorts.takeFixed(2);
    String cluster = "cli-" + UUID.randomUUID();
    root = Files.createDirectories(dir.resolve("root0"));
    root1 = Files.createDirectories(dir.resolve("root1"));
    for (int i = 0; i < 2; i++) {
      Path hazelcast = NodeProcess.hazelcastConfig(dir.resolve("hazelcast-" + i + ".xml"), cluster, members, i);
      nodes.add(NodeProcess.start("--cluster-config", hazelcast.toString(), "--node-id", "cli" + i, "--root",
        "data=" + (i == 0 ? root : root1), "--bridge-port", "0", "--http-port", "0", "--data-port", "0"));
    }
    bridgePort = nodes.get(0).awaitUp();
    nodes.get(1).awaitUp();
  }

  @AfterAll
  void stopNodes() {
    nodes.forEach(NodeProcess::close);
  }

  /** What a finished command printed, and how it exited. */
  private record Run(int exit, String out, String err) {
  }

  /** A command still running, its stderr read line by line as it comes. */
  private static final class Running {
    final Process process;
    final BlockingQueue<String> errLines = new LinkedBlockingQueue<>();
    final StringBuilder err = new StringBuilder();
    final Path out;
    final Thread reader;

    Running(Process process, Path out) {
      this.process = process;
      this.out = out;
      reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (err) {
              err.append(line).append('\n');
            }
            errLines.add(line);
          }
        } catch (IOException ignored) {
          // the process is gone
        }
      }, "stderr-of-" + process.pid());
      reader.setDaemon(true);
      reader.start();
    }

    /** Waits for a line on stderr that starts with {@code prefix}. */
    void awaitErrLine(String prefix) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        String line = errLines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (line == null) {
          throw new AssertionError("no stderr line starting with \"" + prefix + "\" within 30 s: " + err());
        }
        if (line.startsWith(prefix)) {
          return;
        }
      }
    }

    Run await() throws Exception {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the command did not finish within 60 s; stderr: " + err());
      }
      reader.join(10_000);
      return new Run(process.exitValue(), Files.readString(out), err());
    }

    String err() {
      synchronized (err) {
        return err.toString();
      }
    }
  }

  private Running start(int port, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx128m");
    command.add("-jar");
    command.add(NodeProcess.jar().toString());
    command.add(args[0]);
    command.addAll(List.of("--bridge-port", String.valueOf(port)));
    command.addAll(List.of(args).subList(1, args.length));
    Path out = Files.createTempFile(dir, "out", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("XFER_"));
    return new Running(pb.start(), out);
  }

  private Run cli(String... args) throws Exception {
    return start(bridgePort, args).await();
  }

  private static void assertOneLineNoStackTrace(Run run) {
    assertThat(run.err()).as("stderr").hasLineCount(1).startsWith("xfernode: ").doesNotContain("Exception")
      .doesNotContain("\tat ");
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private byte[] sourceFile(String name, int size) throws IOException {
    byte[] data = new byte[size];
    new Random(name.hashCode()).nextBytes(data);
    Files.write(root.resolve(name), data);
    return data;
  }

  @Test
  void cp_copies_a_file_byte_for_byte_with_its_checksum_and_exits_0() throws Exception {
    byte[] data = sourceFile("in.bin", 5 * 1024 * 1024 + 17);
    Run run = cli("cp", "--checksum", "sha256", "file://cli0/data/in.bin", "data/out.bin");
    assertThat(run.exit()).as("exit of cp; stderr: %s", run.err()).isZero();
    assertThat(Files.readAllBytes(root.resolve("out.bin"))).as("the copy").isEqualTo(data);
    assertThat(run.out()).as("the summary").startsWith("DONE cli-").contains("5.0 MiB in ")
      .contains(" average, sha256 " + sha256(data)).hasLineCount(1);
    assertThat(run.err()).as("off a terminal: plain lines, never redrawn").doesNotContain("\r")
      .doesNotContain("Exception");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "a path outside the roots, data/in-refused.bin, ../outside.bin, 403 sink.path",
    "an unknown node, data/in-refused.bin, file://nosuch/data/x.bin, 404 sink.node"})
  void a_refused_copy_exits_2_with_one_line_naming_the_field(String why, String source, String sink, String expected)
    throws Exception {
    sourceFile("in-refused.bin", 1024);
    Run run = cli("cp", source, sink);
    assertThat(run.exit()).as("exit of cp to %s; stderr: %s", why, run.err()).isEqualTo(2);
    assertOneLineNoStackTrace(run);
    assertThat(run.err()).startsWith("xfernode: " + expected + ": ");
  }

  @Test
  void with_no_node_listening_it_exits_3() throws Exception {
    int closed = FreePorts.takeFixed(1)[0];
    Run run = start(closed, "ls").await();
    assertThat(run.exit()).as("exit of ls; stderr: %s", run.err()).isEqualTo(3);
    assertOneLineNoStackTrace(run);
    assertThat(run.err()).contains("cannot reach a node at 127.0.0.1:" + closed);
  }

  @Test
  void ls_and_status_print_json_for_scripts() throws Exception {
    String id = "json-" + UUID.randomUUID();
    assertThat(cli("cp", "-q", "--id", id, "random:?length=100000&seed=3", "null:").exit()).isZero();

    Run ls = cli("ls", "--json", "--state", "done", "--limit", "1000");
    assertThat(ls.exit()).as("exit of ls; stderr: %s", ls.err()).isZero();
    assertThat(new JsonArray(ls.out()).stream().map(t -> ((JsonObject) t).getString("id"))).contains(id);

    Run status = cli("status", "--json", id);
    assertThat(status.exit()).as("exit of status; stderr: %s", status.err()).isZero();
    JsonObject s = new JsonObject(status.out());
    assertThat(s.getString("state")).isEqualTo("DONE");
    assertThat(s.getLong("bytes")).isEqualTo(100_000L);
  }

  @Test
  void a_dry_run_prints_the_plan_and_runs_nothing() throws Exception {
    sourceFile("in-dry.bin", 4096);
    int before = transfers();
    Run run = cli("cp", "--dry-run", "data/in-dry.bin", "data/dry.bin");
    assertThat(run.exit()).as("exit of cp --dry-run; stderr: %s", run.err()).isZero();
    assertThat(run.out()).contains("source file on cli0").contains("sink file on cli0").contains("total ");
    assertThat(root.resolve("dry.bin")).doesNotExist();
    assertThat(transfers()).as("transfers in the cluster").isEqualTo(before);
  }

  private int transfers() throws Exception {
    Run ls = cli("ls", "--json", "--limit", "1000");
    assertThat(ls.exit()).as("exit of ls; stderr: %s", ls.err()).isZero();
    return new JsonArray(ls.out()).size();
  }

  @Test
  void ctrl_c_cancels_the_copy_and_exits_130() throws Exception {
    assumeSigintReachesChildren();
    String id = "ctrl-c-" + UUID.randomUUID();
    // 100 MiB at 256 KiB/s: it runs for minutes unless cancelled
    Running cp = start(bridgePort, "cp", "--progress=plain", "--id", id, "--rate-limit", "256K",
      "random:?length=104857600", "data/ctrl-c.bin");
    cp.awaitErrLine("progress ");
    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(cp.process.pid())).start();
    assertThat(kill.waitFor()).as("kill -INT").isZero();

    Run run = cp.await();
    assertThat(run.exit()).as("exit of cp after SIGINT; stderr: %s", run.err()).isEqualTo(130);
    assertThat(run.err()).contains("xfernode: interrupted: transfer " + id + " is CANCELLED")
      .doesNotContain("Exception").doesNotContain("\r");
    assertThat(new JsonObject(cli("status", "--json", id).out()).getString("state")).isEqualTo("CANCELLED");
    assertThat(root.resolve("ctrl-c.bin")).as("nothing at the destination").doesNotExist();
  }

  @Test
  void watch_follows_a_running_transfer_and_both_exit_5_when_it_is_cancelled() throws Exception {
    String id = "watched-" + UUID.randomUUID();
    Running cp = start(bridgePort, "cp", "--progress=plain", "--id", id, "--rate-limit", "256K",
      "random:?length=104857600", "null:");
    cp.awaitErrLine("progress ");
    Running watch = start(bridgePort, "watch", "--progress=plain", id);
    watch.awaitErrLine("progress ");

    Run cancel = cli("cancel", id);
    assertThat(cancel.exit()).as("exit of cancel; stderr: %s", cancel.err()).isZero();
    assertThat(cancel.out()).isEqualTo(id + " CANCELLED" + System.lineSeparator());

    Run watched = watch.await();
    assertThat(watched.exit()).as("exit of watch; stderr: %s", watched.err()).isEqualTo(5);
    assertThat(watched.err()).contains("xfernode: CANCELLED " + id);
    assertThat(cp.await().exit()).as("exit of cp").isEqualTo(5);
  }

  @Test
  void on_a_terminal_cp_between_two_nodes_redraws_one_line_with_percent_and_rate_and_is_byte_exact() throws Exception {
    Path script = Paths.get("/usr/bin/script");
    assumeThat(Files.isExecutable(script)).as("util-linux's script(1), which gives the command a pseudo-terminal, "
      + "is not installed").isTrue();
    awaitBothNodes();
    byte[] data = sourceFile("pty.bin", 8 * 1024 * 1024);
    // 8 MiB at 4 MiB/s: about 2 s, so the line is redrawn several times
    List<String> cp = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
      "-jar", NodeProcess.jar().toString(), "cp", "--bridge-port", String.valueOf(bridgePort), "--checksum",
      "sha256", "--rate-limit", "4M", "file://cli0/data/pty.bin", "file://cli1/data/pty.bin");
    String shellLine = cp.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    Path screen = Files.createTempFile(dir, "screen", ".txt");
    Process p = new ProcessBuilder(script.toString(), "-qfec", shellLine, "/dev/null")
      .redirectOutput(screen.toFile()).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("cp under a pseudo-terminal finished").isTrue();
    String out = Files.readString(screen);
    assertThat(p.exitValue()).as("exit of cp; screen: %s", out).isZero();

    // a redraw is a carriage return that no newline follows (the terminal turns \n into \r\n)
    Matcher redraws = Pattern.compile("\\r([^\\r\\n]*\\d+%[^\\r\\n]*/s[^\\r\\n]*elapsed [^\\r\\n]*)").matcher(out);
    List<String> lines = new ArrayList<>();
    while (redraws.find()) {
      lines.add(redraws.group(1).strip());
    }
    assertThat(lines).as("progress lines redrawn in place; screen: %s", out).hasSizeGreaterThanOrEqualTo(2);
    assertThat(out).as("the summary").contains("DONE cli-").contains("sha256 " + sha256(data));
    assertThat(out).as("no plain progress lines on a terminal").doesNotContain("progress ");
    assertThat(Files.readAllBytes(root1.resolve("pty.bin"))).as("the copy on cli1").isEqualTo(data);
  }

  /** Waits until cli0 lists cli1 (the second node's "up" may come before the first hears of it). */
  private void awaitBothNodes() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    List<String> ids;
    do {
      Run run = cli("nodes", "--json");
      ids = new JsonArray(run.exit() == 0 ? run.out() : "[]").stream().map(n -> ((JsonObject) n).getString("id"))
        .toList();
    } while (!ids.contains("cli1") && System.nanoTime() < deadline);
    assertThat(ids).as("the nodes cli0 lists").contains("cli0", "cli1");
  }

  /**
   * A process started with SIGINT ignored (a background job of a shell without job control) keeps it
   * ignored in its children, and Java cannot undo that: the CLI would never see Ctrl-C.
   */
  private static void assumeSigintReachesChildren() throws IOException {
    for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
      if (line.startsWith("SigIgn:")) {
        boolean ignored = new BigInteger(line.substring(7).trim(), 16).testBit(1);
        assumeThat(ignored).as("SIGINT is ignored by this test's JVM (started in the background without job "
          + "control), so no child can receive it").isFalse();
      }
    }
  }
}
