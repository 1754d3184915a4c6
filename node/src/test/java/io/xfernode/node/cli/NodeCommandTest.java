package io.xfernode.node.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Flags that are wrong stop the command before any node starts, with one line and exit code 2. */
class NodeCommandTest {

  private String run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertThat(code).as("exit code of %s", String.join(" ", args)).isEqualTo(NodeCommand.EXIT_CONFIG);
    return err.toString();
  }

  @Test
  void a_non_numeric_port_flag_is_refused() {
    assertThat(run("--bridge-port", "abc")).startsWith("xfernode: ").contains("--bridge-port").contains("abc")
      .doesNotContain("Exception");
  }

  @Test
  void an_unknown_flag_is_refused() {
    assertThat(run("--brige-port", "7000")).startsWith("xfernode: ").contains("--brige-port");
  }

  @Test
  void a_root_flag_without_a_name_is_refused_naming_the_flag() {
    assertThat(run("--root", "/srv/in")).isEqualTo(
      "xfernode: config error: --root: must be NAME=PATH, got \"/srv/in\"" + System.lineSeparator());
  }

  @Test
  void a_host_that_does_not_resolve_is_refused_before_anything_starts() {
    assertThat(run("--host", "no-such-host.invalid")).isEqualTo(
      "xfernode: config error: host: cannot resolve \"no-such-host.invalid\"" + System.lineSeparator());
  }

  @Test
  void a_host_that_is_not_this_machines_is_refused_before_anything_starts() {
    // TEST-NET-1 (RFC 5737): never assigned to a real interface
    assertThat(run("--host", "192.0.2.1")).isEqualTo("xfernode: config error: host: 192.0.2.1 is not an address "
      + "of this machine, so nothing can listen on it" + System.lineSeparator());
  }

  @Test
  void a_control_port_beyond_loopback_without_tokens_stops_the_node_before_it_starts() throws Exception {
    java.nio.file.Path conf = java.nio.file.Files.createTempFile("xfer-open", ".yaml");
    try {
      java.nio.file.Files.writeString(conf, "bridge: {host: 0.0.0.0}\n");
      assertThat(run("--conf", conf.toString())).isEqualTo("xfernode: config error: bridge.host: 0.0.0.0 is not a "
        + "loopback address, and no auth.tokens are configured: anyone who reaches it could move any byte in the "
        + "roots; configure auth.tokens, or set auth.allowAnonymous: true" + System.lineSeparator());
    } finally {
      java.nio.file.Files.deleteIfExists(conf);
    }
  }

  @Test
  void flags_become_the_top_config_layer() {
    NodeCommand cmd = new NodeCommand();
    new CommandLine(cmd).parseArgs("--node-id", "a1", "--host", "10.0.0.5", "--root", "in=/srv/in",
      "--bridge-port", "7100", "--data-port", "0", "--http-port", "8181");
    assertThat(cmd.flags().encode()).isEqualTo("{\"nodeId\":\"a1\",\"host\":\"10.0.0.5\",\"roots\":{\"in\":\"/srv/in\"},"
      + "\"bridge\":{\"port\":7100},\"data\":{\"port\":0},\"http\":{\"port\":8181}}");
  }
}
