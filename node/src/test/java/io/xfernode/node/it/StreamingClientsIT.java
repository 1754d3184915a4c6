package io.xfernode.node.it;

import io.vertx.core.json.JsonObject;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The streaming commands of the clients in {@code clients/} against a real node from the fat jar, with
 * tokens: {@code send} and {@code recv} through the eventbus source and sink with a small credit window,
 * byte for byte, for Python, the Node TCP client and the Node SockJS client (the stock
 * {@code @vertx/eventbus-bridge-client.js}, installed by {@code npm ci} from the repo's lock file); a SockJS
 * frame above {@code limits.maxRequestBytes} answered with an error in bounded time; {@code watch} with
 * Ctrl-C cancelling; pools.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(300)
class StreamingClientsIT {

  static final String ADMIN = "admin-token-0123456789abcd";
  static final String READER = "reader-token-0123456789abc";
  static final String SUBMITTER = "submit-token-0123456789abc";
  static final Pattern UP = Pattern.compile("is up: event-bus bridge on [^:]+:(\\d+), HTTP on [^:]+:(\\d+)");

  @TempDir
  static Path dir;

  private NodeProcess node;
  private int bridgePort;
  private int httpPort;
  private Path root;
  private final Path clients = Paths.get(System.getProperty("xfernode.clients", "../clients"));

  @BeforeAll
  void startNode() throws Exception {
    int[] member = FreePorts.takeFixed(1);
    Path hazelcast = NodeProcess.hazelcastConfig(dir.resolve("hazelcast.xml"), "streaming-" + UUID.randomUUID(),
      member, 0);
    root = Files.createDirectories(dir.resolve("root"));
    Path conf = Files.writeString(dir.resolve("auth.yaml"), "auth:\n  tokens:\n"
      + "    - {name: ops, token: " + ADMIN + ", role: admin}\n"
      + "    - {name: viewer, token: " + READER + ", role: read}\n"
      + "    - {name: ci, token: " + SUBMITTER + ", role: submit}\n");
    node = NodeProcess.start("--conf", conf.toString(), "--cluster-config", hazelcast.toString(), "--node-id", "st0",
      "--root", "data=" + root, "--bridge-port", "0", "--http-port", "0", "--data-port", "0");
    Matcher up = node.awaitLine(UP, Duration.ofSeconds(60));
    bridgePort = Integer.parseInt(up.group(1));
    httpPort = Integer.parseInt(up.group(2));
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  /** The command line of {@code client}'s xfer, up to its arguments. */
  private List<String> command(String client) throws Exception {
    return switch (client) {
      case "python" -> List.of(ClientRun.onPath("python3"), clients.resolve("python/xfer.py").toString(),
        "--port", String.valueOf(bridgePort));
      case "node" -> List.of(ClientRun.onPath("node"), clients.resolve("node/xfer.js").toString(),
        "--port", String.valueOf(bridgePort));
      default -> {
        installSockJsClient();
        yield List.of(ClientRun.onPath("node"), clients.resolve("node-sockjs/xfer-sockjs.js").toString(),
          "--port", String.valueOf(httpPort));
      }
    };
  }

  private Process start(String client, Path out, Path err, String... args) throws Exception {
    return startAs(ADMIN, client, out, err, args);
  }

  /** @param token what XFER_TOKEN holds; null for none */
  private Process startAs(String token, String client, Path out, Path err, String... args) throws Exception {
    List<String> command = new ArrayList<>(command(client));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("XFER_TOKEN");
    if (token != null) {
      builder.environment().put("XFER_TOKEN", token);
    }
    return builder.start();
  }

  private ClientRun xfer(String client, String... args) throws Exception {
    return xferAs(ADMIN, client, args);
  }

  private ClientRun xferAs(String token, String client, String... args) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Process p = startAs(token, client, out, err, args);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(client + " " + List.of(args) + " did not finish within 90 s; stderr: " + Files.readString(err));
    }
    return new ClientRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private void installSockJsClient() throws Exception {
    Path dirOf = clients.resolve("node-sockjs");
    if (Files.isDirectory(dirOf.resolve("node_modules/@vertx/eventbus-bridge-client.js"))) {
      return;
    }
    Path log = Files.createTempFile(dir, "npm", ".txt");
    Process npm = new ProcessBuilder(ClientRun.onPath("npm"), "ci", "--no-audit", "--no-fund").directory(dirOf.toFile())
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished = npm.waitFor(180, TimeUnit.SECONDS);
    if (!finished) {
      npm.destroyForcibly();
    }
    assumeThat(finished && npm.exitValue() == 0)
      .as("npm ci in clients/node-sockjs failed (no registry?): %s", Files.readString(log)).isTrue();
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node", "sockjs"})
  void send_and_recv_move_every_byte_with_a_small_credit_window(String client) throws Exception {
    byte[] data = new byte[2 * 1024 * 1024 + 4099];
    new Random(client.hashCode()).nextBytes(data);
    Path local = Files.write(dir.resolve(client + "-local.bin"), data);

    ClientRun send = xfer(client, "send", local.toString(), "{\"type\": \"file\", \"path\": \"data/" + client + "-up.bin\"}",
      "--window", "2", "--checksum", "sha256");
    assertThat(send.exit()).as("exit of send; stderr: %s", send.err()).isZero();
    JsonObject sent = send.json();
    assertThat(sent.getString("state")).isEqualTo("DONE");
    assertThat(sent.getLong("bytes")).isEqualTo(data.length);
    assertThat(sent.getJsonObject("checksum").getString("value")).isEqualTo(sha256(data));
    assertThat(sent.getJsonObject("endpoints").getJsonObject("source").getJsonObject("address").getInteger("chunkSize"))
      .as("the default chunk size, which fits a frame").isEqualTo(65536);
    assertThat(Files.readAllBytes(root.resolve(client + "-up.bin"))).as("the file the node wrote").isEqualTo(data);
    assertThat(send.err()).as("progress and summary on stderr").contains("state RUNNING").contains("DONE 2.0 MiB");

    Path back = dir.resolve(client + "-back.bin");
    ClientRun recv = xfer(client, "recv", "{\"type\": \"file\", \"path\": \"data/" + client + "-up.bin\"}", back.toString(),
      "--window", "2");
    assertThat(recv.exit()).as("exit of recv; stderr: %s", recv.err()).isZero();
    assertThat(recv.json().getString("state")).isEqualTo("DONE");
    assertThat(sha256(Files.readAllBytes(back))).as("what recv wrote").isEqualTo(sha256(data));
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no partial file left").noneMatch(n -> n.endsWith(".part"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node", "sockjs"})
  void each_role_is_refused_and_allowed_what_it_should_be(String client) throws Exception {
    ClientRun none = xferAs(null, client, "nodes");
    assertThat(none.exit()).as("no token; stderr: %s", none.err()).isEqualTo(2);
    assertThat(none.err()).contains("401");
    ClientRun look = xferAs(READER, client, "nodes");
    assertThat(look.exit()).as("a reader lists the nodes; stderr: %s", look.err()).isZero();
    byte[] data = new byte[100_000];
    new Random(7).nextBytes(data);
    Path local = Files.write(dir.resolve(client + "-roles.bin"), data);
    String sink = "{\"type\": \"file\", \"path\": \"data/" + client + "-roles.bin\"}";
    ClientRun readerSends = xferAs(READER, client, "send", local.toString(), sink);
    assertThat(readerSends.exit()).as("a reader may not submit; stderr: %s", readerSends.err()).isEqualTo(2);
    assertThat(readerSends.err()).contains("403");
    assertThat(root.resolve(client + "-roles.bin")).doesNotExist();
    ClientRun submitterSends = xferAs(SUBMITTER, client, "send", local.toString(), sink);
    assertThat(submitterSends.exit()).as("a submitter may; stderr: %s", submitterSends.err()).isZero();
    assertThat(submitterSends.json().getString("submittedBy")).isEqualTo("ci");
    assertThat(Files.readAllBytes(root.resolve(client + "-roles.bin"))).isEqualTo(data);
    ClientRun submitterDefines = xferAs(SUBMITTER, client, "pools", "define", new JsonObject().put("name", "no-" + client).encode());
    assertThat(submitterDefines.exit()).as("only an admin defines pools; stderr: %s", submitterDefines.err()).isEqualTo(2);
    assertThat(submitterDefines.err()).contains("403");
  }

  @Test
  void a_sockjs_frame_above_the_limit_gets_an_error_in_bounded_time_and_the_node_logs_no_error() throws Exception {
    Path big = Files.writeString(dir.resolve("big.json"), new JsonObject().put("pad", "x".repeat(1_500_000)).encode());
    long started = System.nanoTime();
    ClientRun run = xfer("sockjs", "request", "xfer.nodes", "@" + big);
    assertThat(run.exit()).as("exit; stderr: %s", run.err()).isEqualTo(2);
    assertThat(run.err()).contains("400 frame: larger than limits.maxRequestBytes (1048576 bytes)");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("an answer, not a hang").isLessThan(Duration.ofSeconds(30));

    ClientRun after = xfer("sockjs", "nodes");
    assertThat(after.exit()).as("the bridge still answers; stderr: %s", after.err()).isZero();
    assertThat(node.linesContaining(" ERROR ")).as("the node's ERROR lines").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void ctrl_c_while_watching_cancels_the_transfer_and_exits_130(String client) throws Exception {
    String id = client + "-watched-" + UUID.randomUUID().toString().substring(0, 8);
    ClientRun submit = xfer(client, "submit", new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 50))
      .put("sink", new JsonObject().put("type", "null")).encode());
    assertThat(submit.exit()).as("exit of submit; stderr: %s", submit.err()).isZero();

    Path out = Files.createTempFile(dir, "watch", ".txt");
    Path err = Files.createTempFile(dir, "watch", ".err");
    Process watch = start(client, out, err, "watch", id);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.readString(err).contains("progress RUNNING")) {
      assertThat(watch.isAlive()).as("watch runs; stderr: %s", Files.readString(err)).isTrue();
      assertThat(System.nanoTime()).as("watch shows progress within 30 s").isLessThan(deadline);
      watch.waitFor(50, TimeUnit.MILLISECONDS);
    }
    Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(watch.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.waitFor(30, TimeUnit.SECONDS)).as("watch ends after Ctrl-C").isTrue();
    assertThat(watch.exitValue()).as("exit; stderr: %s", Files.readString(err)).isEqualTo(130);
    assertThat(Files.readString(err)).doesNotContain("Traceback").contains("is CANCELLED");
    assertThat(xfer(client, "status", id).json().getString("state")).isEqualTo("CANCELLED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node", "sockjs"})
  void pools_are_listed_defined_and_removed(String client) throws Exception {
    String name = "it-" + client;
    ClientRun define = xfer(client, "pools", "define", new JsonObject().put("name", name).put("maxPerPeer", 3).encode());
    assertThat(define.exit()).as("exit of define; stderr: %s", define.err()).isZero();
    assertThat(define.json().getInteger("maxPerPeer")).isEqualTo(3);
    ClientRun list = xfer(client, "pools");
    assertThat(list.exit()).as("exit of list; stderr: %s", list.err()).isZero();
    assertThat(list.json().getJsonArray("pools").stream().map(p -> ((JsonObject) p).getString("name")))
      .contains("default", name);
    ClientRun remove = xfer(client, "pools", "remove", name);
    assertThat(remove.exit()).as("exit of remove; stderr: %s", remove.err()).isZero();
    assertThat(remove.json().getString("removed")).isEqualTo(name);
    ClientRun again = xfer(client, "pools", "remove", name);
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("404");
  }
}
