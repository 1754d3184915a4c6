package io.xfernode.node.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The client examples in {@code clients/} (Python and Node.js, each a bridge library and an {@code xfer}
 * command) against a real node started from the fat jar: they list the nodes, copy a file byte for
 * byte with a checksum, cancel a transfer, and turn the node's refusals into exit code 2 with the code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class BridgeClientsIT {

  @TempDir
  static Path dir;

  /** The node has tokens; the clients use this one unless a test says otherwise. */
  static final String CI = "ci-token-0123456789abcdef";
  static final String VIEWER = "viewer-token-0123456789ab";

  private NodeProcess node;
  private int bridgePort;
  private Path root;

  @BeforeAll
  void startNode() throws Exception {
    int[] member = FreePorts.takeFixed(1);
    Path hazelcast = NodeProcess.hazelcastConfig(dir.resolve("hazelcast.xml"), "clients-" + UUID.randomUUID(),
      member, 0);
    root = Files.createDirectories(dir.resolve("root"));
    Path conf = Files.writeString(dir.resolve("auth.yaml"), "auth:\n  tokens:\n"
      + "    - {name: ci, token: " + CI + ", role: submit}\n"
      + "    - {name: viewer, token: " + VIEWER + ", role: read}\n");
    node = NodeProcess.start("--conf", conf.toString(), "--cluster-config", hazelcast.toString(), "--node-id", "cl0",
      "--root", "data=" + root, "--bridge-port", "0", "--http-port", "0", "--data-port", "0");
    bridgePort = node.awaitUp();
  }

  @AfterAll
  void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  private ClientRun xfer(String client, String... args) throws Exception {
    return xferAt(bridgePort, CI, client, args);
  }

  /** @param token what XFER_TOKEN holds for the client; null for none */
  private ClientRun xferAt(int port, String token, String client, String... args) throws Exception {
    Path clients = Paths.get(System.getProperty("xfernode.clients", "../clients"));
    List<String> command = new ArrayList<>();
    if (client.equals("python")) {
      command.addAll(List.of(ClientRun.onPath("python3"), clients.resolve("python/xfer.py").toString()));
    } else {
      command.addAll(List.of(ClientRun.onPath("node"), clients.resolve("node/xfer.js").toString()));
    }
    command.addAll(List.of("--port", String.valueOf(port)));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("XFER_TOKEN");
    if (token != null) {
      builder.environment().put("XFER_TOKEN", token);
    }
    Process p = builder.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new ClientRun(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void lists_the_nodes(String client) throws Exception {
    ClientRun run = xfer(client, "nodes");
    assertThat(run.exit()).as("exit of nodes; stderr: %s", run.err()).isZero();
    JsonArray nodes = new JsonArray(run.out());
    assertThat(nodes.getJsonObject(0).getString("id")).isEqualTo("cl0");
    assertThat(nodes.getJsonObject(0).getJsonObject("roots").getString("data")).isEqualTo(root.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void copies_a_file_byte_for_byte_and_reports_its_checksum(String client) throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 13];
    new Random(client.hashCode()).nextBytes(data);
    Files.write(root.resolve(client + "-in.bin"), data);
    JsonObject spec = new JsonObject()
      .put("source", new JsonObject().put("type", "file").put("path", "data/" + client + "-in.bin"))
      .put("sink", new JsonObject().put("type", "file").put("path", "data/" + client + "-out.bin"))
      .put("options", new JsonObject().put("checksum", "sha256"));

    ClientRun run = xfer(client, "run", spec.encode());
    assertThat(run.exit()).as("exit of run; stderr: %s", run.err()).isZero();
    JsonObject status = run.json();
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(data.length);
    assertThat(status.getJsonObject("checksum").getString("value"))
      .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    assertThat(Files.readAllBytes(root.resolve(client + "-out.bin"))).isEqualTo(data);
    assertThat(run.err()).as("progress on stderr").contains("state RUNNING").contains("state DONE");

    ClientRun again = xfer(client, "run", spec.encode());
    assertThat(again.exit()).as("a second copy onto the same destination").isEqualTo(2);
    assertThat(again.err()).contains("409 sink.path");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void cancels_a_running_transfer(String client) throws Exception {
    String id = client + "-endless";
    ClientRun submit = xfer(client, "submit", new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "random").put("length", 1L << 50))
      .put("sink", new JsonObject().put("type", "null")).encode());
    assertThat(submit.exit()).as("exit of submit; stderr: %s", submit.err()).isZero();
    assertThat(submit.json().getString("id")).isEqualTo(id);

    ClientRun cancel = xfer(client, "cancel", id);
    assertThat(cancel.exit()).as("exit of cancel; stderr: %s", cancel.err()).isZero();
    assertThat(cancel.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(xfer(client, "status", id).json().getString("state")).isEqualTo("CANCELLED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void a_refused_request_exits_with_2_and_the_code(String client) throws Exception {
    ClientRun run = xfer(client, "plan", "{\"source\": {\"type\": \"teleport\"}, \"sink\": \"null:\"}");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("404 source.type: unknown source type \"teleport\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void only_a_token_with_the_role_gets_in(String client) throws Exception {
    ClientRun none = xferAt(bridgePort, null, client, "nodes");
    assertThat(none.exit()).as("no token; stderr: %s", none.err()).isEqualTo(2);
    assertThat(none.err()).contains("401 headers.authorization: a token is required");
    ClientRun wrong = xferAt(bridgePort, null, client, "--token", "not-this-nodes-token-000", "nodes");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("401 headers.authorization: unknown token");
    ClientRun look = xferAt(bridgePort, VIEWER, client, "nodes");
    assertThat(look.exit()).as("a reader lists nodes; stderr: %s", look.err()).isZero();
    ClientRun submit = xferAt(bridgePort, VIEWER, client, "submit", "{\"source\": \"random:?length=10\", \"sink\": \"null:\"}");
    assertThat(submit.exit()).isEqualTo(2);
    assertThat(submit.err()).contains("403 address: token \"viewer\" has role read");
  }

  @ParameterizedTest
  @ValueSource(strings = {"python", "node"})
  void a_client_without_a_node_exits_with_3(String client) throws Exception {
    int closed = FreePorts.takeFixed(1)[0];
    ClientRun run = xferAt(closed, CI, client, "nodes");
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("cannot reach 127.0.0.1:" + closed);
  }
}
