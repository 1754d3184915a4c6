package io.xfernode.node.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** One {@code java -jar xfernode.jar} process started by a test, with its output collected line by line. */
final class NodeProcess implements AutoCloseable {

  private static final String EOF = "\u0000EOF";
  private static final Pattern UP = Pattern.compile("node (\\S+) is up: event-bus bridge on [^:]+:(\\d+)");

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  /** Every line the process wrote so far, read or not by {@link #awaitLine}. */
  private final List<String> output = new java.util.concurrent.CopyOnWriteArrayList<>();

  private NodeProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(this::pump, "output-of-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static Path jar() {
    String jar = System.getProperty("xfernode.jar");
    if (jar == null) {
      throw new IllegalStateException("run under failsafe: the xfernode.jar system property is not set");
    }
    return Paths.get(jar);
  }

  /**
   * Writes the shipped default Hazelcast config to {@code file}, with {@code clusterName}, the member
   * list {@code memberPorts} on loopback, and the fixed port of member number {@code member}.
   */
  static Path hazelcastConfig(Path file, String clusterName, int[] memberPorts, int member) throws IOException {
    String xml;
    try (InputStream in = NodeProcess.class.getClassLoader().getResourceAsStream("xfernode/hazelcast-default.xml")) {
      xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String members = Arrays.stream(memberPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    xml = xml.replace("<cluster-name>xfernode</cluster-name>", "<cluster-name>" + clusterName + "</cluster-name>")
      .replaceAll("<port auto-increment=\"true\" port-count=\"20\">5701</port>",
        "<port auto-increment=\"false\">" + memberPorts[member] + "</port>")
      .replaceAll("<member>[^<]*</member>", "<member>" + members + "</member>");
    Files.writeString(file, xml);
    return file;
  }

  static NodeProcess start(String... args) throws IOException {
    // each process keeps its state apart, and never in the source tree
    return start(Files.createTempDirectory("xfer-state"), args);
  }

  /** @param stateDir the node's state.dir: a node started again with the same one finds its partial files */
  static NodeProcess start(Path stateDir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-Dxfer.state.dir=" + stateDir);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("XFER_"));
    return new NodeProcess(pb.start());
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      Path logs = Files.createDirectories(Paths.get("target", "it-logs"));
      try (var log = Files.newBufferedWriter(logs.resolve("node-" + process.pid() + ".log"))) {
        while ((line = r.readLine()) != null) {
          lines.add(line);
          output.add(line);
          log.write(line);
          log.newLine();
          log.flush();
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
    lines.add(EOF);
  }

  /** @return the lines of the process's output so far that contain {@code text} */
  List<String> linesContaining(String text) {
    return output.stream().filter(l -> l.contains(text)).toList();
  }

  /** Waits for a line matching {@code pattern}; fails with the output so far if none comes in time. */
  Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null || EOF.equals(line)) {
        throw new AssertionError("no line matching /" + pattern + "/ within " + timeout + "; output:\n"
          + String.join("\n", seen));
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
  }

  /** Waits until the node reports it is up; returns its bridge port. */
  int awaitUp() throws InterruptedException {
    return Integer.parseInt(awaitLine(UP, Duration.ofSeconds(60)).group(2));
  }

  /** Waits for the process to exit and returns everything it printed. */
  String awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("process did not exit within " + timeout);
    }
    String line;
    while ((line = lines.poll(5, TimeUnit.SECONDS)) != null && !EOF.equals(line)) {
      seen.add(line);
    }
    return String.join("\n", seen);
  }

  Process process() {
    return process;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
