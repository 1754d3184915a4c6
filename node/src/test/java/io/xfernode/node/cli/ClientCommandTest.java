package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The subcommands against a stand-in bridge: the token on every frame, the exit codes of refusals and of
 * final states, and a transfer whose final event never arrives still ends through its status.
 */
@Timeout(30)
class ClientCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static JsonObject status(String id, String state) {
    return new JsonObject().put("id", id).put("state", state).put("bytes", 1024).put("total", 1024)
      .put("runningAt", "2026-11-22T19:40:00Z").put("endedAt", "2026-11-22T19:40:01Z");
  }

  /** A bridge that runs every submitted transfer to {@code finalState}, publishing its events, or not. */
  private static FakeBridge node(String finalState, boolean publishFinalState) throws IOException {
    String[] id = new String[1];
    return new FakeBridge(frame -> {
      List<JsonObject> replies = new ArrayList<>();
      String address = frame.getString("address");
      if ("register".equals(frame.getString("type"))) {
        id[0] = address.substring("xfer.events.".length());
      } else if ("xfer.submit".equals(address)) {
        replies.add(FakeBridge.reply(frame, new JsonObject().put("id", id[0]).put("state", "RUNNING")));
        replies.add(FakeBridge.event(id[0], new JsonObject().put("type", "progress").put("bytes", 512).put("total", 1024)));
        if (publishFinalState) {
          replies.add(FakeBridge.event(id[0], new JsonObject().put("type", "state").put("state", finalState)));
        }
      } else if ("xfer.status".equals(address)) {
        replies.add(FakeBridge.reply(frame, status(frame.getJsonObject("body").getString("id"), finalState)));
      }
      return replies;
    });
  }

  @Test
  void the_token_goes_on_every_frame_and_a_401_exits_2_with_one_line() throws Exception {
    try (FakeBridge bridge = new FakeBridge(frame -> "send".equals(frame.getString("type"))
      ? List.of(FakeBridge.fail(frame, 401, "unknown token")) : List.of())) {
      int exit = run("cp", "--bridge-port", String.valueOf(bridge.port()), "--token", "s3cret", "data/a", "data/b");
      assertThat(exit).as("exit; stderr: %s", err).isEqualTo(ExitCodes.REFUSED);
      assertThat(err.toString()).isEqualTo("xfernode: 401 unknown token (give a token with --token or XFER_TOKEN)"
        + System.lineSeparator());
      assertThat(bridge.received()).extracting(f -> f.getString("type")).containsExactly("register", "send");
      assertThat(bridge.received()).allSatisfy(f -> assertThat(f.getJsonObject("headers").getString("authorization"))
        .isEqualTo("Bearer s3cret"));
    }
  }

  @Test
  void without_a_token_no_frame_has_headers() throws Exception {
    try (FakeBridge bridge = new FakeBridge(frame -> List.of(FakeBridge.reply(frame, new JsonObject()
      .put("nodes", new io.vertx.core.json.JsonArray()))))) {
      assertThat(run("nodes", "--bridge-port", String.valueOf(bridge.port()), "--token", "")).isZero();
      assertThat(bridge.received()).allSatisfy(f -> assertThat(f.containsKey("headers")).isFalse());
    }
  }

  @Test
  void a_403_exits_2_naming_the_field() throws Exception {
    try (FakeBridge bridge = new FakeBridge(frame -> "send".equals(frame.getString("type"))
      ? List.of(FakeBridge.fail(frame, 403, "sink.path: \"..\" is not allowed")) : List.of())) {
      assertThat(run("cp", "--bridge-port", String.valueOf(bridge.port()), "data/a", "../b")).isEqualTo(ExitCodes.REFUSED);
      assertThat(err.toString()).isEqualTo("xfernode: 403 sink.path: \"..\" is not allowed" + System.lineSeparator());
    }
  }

  @Test
  void no_node_listening_exits_3() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    assertThat(run("status", "t1", "--bridge-port", String.valueOf(closed))).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).startsWith("xfernode: cannot reach a node at 127.0.0.1:" + closed + ": ")
      .doesNotContain("Exception").hasLineCount(1);
  }

  @Test
  void a_bad_flag_exits_2() {
    assertThat(run("cp", "--streams", "many", "a", "b")).isEqualTo(ExitCodes.REFUSED);
    assertThat(err.toString()).contains("--streams").contains("many").contains("cp --help");
  }

  @Test
  void cp_exits_by_the_final_state() throws Exception {
    for (String[] c : new String[][]{{"DONE", "0"}, {"FAILED", "4"}, {"CANCELLED", "5"}}) {
      try (FakeBridge bridge = node(c[0], true)) {
        int exit = run("cp", "--bridge-port", String.valueOf(bridge.port()), "--progress=plain", "data/a", "data/b");
        assertThat(exit).as("exit for %s; stderr: %s", c[0], err).isEqualTo(Integer.parseInt(c[1]));
      }
    }
    assertThat(out.toString()).startsWith("DONE cli-").contains(": 1.0 KiB in 1.00 s, 1.0 KiB/s average");
    assertThat(err.toString()).contains("progress 512 B / 1.0 KiB, 50%").contains("xfernode: FAILED cli-")
      .contains("xfernode: CANCELLED cli-");
  }

  @Test
  void a_final_state_event_that_never_comes_is_found_in_the_status() throws Exception {
    try (FakeBridge bridge = node("DONE", false)) {
      int exit = run("cp", "--bridge-port", String.valueOf(bridge.port()), "--json", "-q", "data/a", "data/b");
      assertThat(exit).as("exit; stderr: %s", err).isZero();
      assertThat(new JsonObject(out.toString()).getString("state")).isEqualTo("DONE");
      assertThat(bridge.received()).extracting(f -> f.getString("address")).contains("xfer.status");
    }
  }
}
