package io.xfernode.node.config;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.stream.Stream;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeConfigLoaderTest {

  private Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void close() throws Exception {
    await(vertx.close());
  }

  private NodeConfig load(Path conf, Map<String, String> env, Map<String, String> props, JsonObject flags)
    throws Exception {
    return await(NodeConfigLoader.load(vertx, new ConfigLayers(conf, env, props, flags)));
  }

  @Test
  void the_shipped_defaults_apply_when_nothing_else_is_set() throws Exception {
    NodeConfig config = load(null, Map.of(), Map.of(), new JsonObject());
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.bridge().host()).isEqualTo("127.0.0.1");
    assertThat(config.bridge().port()).isEqualTo(7000);
    assertThat(config.bridge().explicit()).as("default bridge port is not explicit").isFalse();
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.data().port()).isEqualTo(7300);
    assertThat(config.sockjsPath()).isEqualTo("/eventbus");
    assertThat(config.roots()).containsEntry("data", Paths.get("xfer-data").toAbsolutePath().normalize());
    assertThat(config.nodeId()).as("the default id is the host name, as an id may spell it")
      .isEqualTo(NodeConfig.defaultNodeId()).matches("[A-Za-z0-9._-]{1," + NodeConfig.MAX_BASE_ID + "}");
    assertThat(config.nodeIdGiven()).isFalse();
    assertThat(config.limits().maxTransfers()).isEqualTo(64);
    assertThat(config.processAllow().commands()).isEmpty();
  }

  @Test
  void each_layer_overrides_the_ones_below_it() throws Exception {
    Path conf = dir.resolve("node.yaml");
    Files.writeString(conf, String.join("\n",
      "host: 10.1.1.1",
      "bridge:",
      "  port: 7100",
      "http:",
      "  port: 8100",
      "limits:",
      "  maxTransfers: 5",
      "  maxRequestBytes: 4096",
      "roots:",
      "  logs: /var/tmp/logs",
      ""));
    Map<String, String> env = Map.of(
      "XFER_BRIDGE_PORT", "7200",
      "XFER_LIMITS_MAX_TRANSFERS", "6",
      "XFER_DATA_PORT", "7400",
      "PATH", "/usr/bin");
    Map<String, String> props = Map.of("xfer.limits.maxTransfers", "7", "xfer.data.port", "7500",
      "user.home", "/root");
    JsonObject flags = new JsonObject().put("nodeId", "flagged").put("data", new JsonObject().put("port", 7600));

    NodeConfig config = load(conf, env, props, flags);

    assertThat(config.host()).as("file over defaults").isEqualTo("10.1.1.1");
    assertThat(config.http().port()).as("file over defaults").isEqualTo(8100);
    assertThat(config.limits().maxRequestBytes()).as("file over defaults").isEqualTo(4096);
    assertThat(config.bridge().port()).as("environment over file").isEqualTo(7200);
    assertThat(config.bridge().host()).as("untouched keys of a section keep their default").isEqualTo("127.0.0.1");
    assertThat(config.limits().maxTransfers()).as("system property over environment").isEqualTo(7);
    assertThat(config.data().port()).as("flag over system property").isEqualTo(7600);
    assertThat(config.nodeId()).as("flag").isEqualTo("flagged");
    assertThat(config.roots()).as("roots merge by name")
      .containsEntry("logs", Paths.get("/var/tmp/logs"))
      .containsKey("data");
    assertThat(config.bridge().explicit()).isTrue();
    assertThat(config.data().explicit()).isTrue();
    assertThat(config.http().explicit()).isTrue();
  }

  @Test
  void a_json_conf_file_is_read_as_json() throws Exception {
    Path conf = dir.resolve("node.json");
    Files.writeString(conf, new JsonObject().put("process", new JsonObject()
      .put("allow", new JsonArray().add("cat").add("/usr/bin/tr")).put("env", new JsonArray().add("TZ"))).encode());
    NodeConfig config = load(conf, Map.of(), Map.of(), new JsonObject());
    assertThat(config.processAllow().commands()).containsExactly("cat", "/usr/bin/tr");
    assertThat(config.processEnv()).containsExactly("TZ");
  }

  @Test
  void roots_can_be_given_as_name_value_pairs_in_the_environment() throws Exception {
    NodeConfig config = load(null, Map.of("XFER_ROOTS", "a=/tmp/a,b=/tmp/b"), Map.of(), new JsonObject());
    assertThat(config.roots()).containsEntry("a", Paths.get("/tmp/a")).containsEntry("b", Paths.get("/tmp/b"));
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
      Arguments.of(new JsonObject().put("bridge", new JsonObject().put("port", "abc")), "bridge.port: "),
      Arguments.of(new JsonObject().put("bridge", new JsonObject().put("port", 70000)), "bridge.port: "),
      Arguments.of(new JsonObject().put("http", new JsonObject().put("port", -1)), "http.port: "),
      Arguments.of(new JsonObject().put("data", new JsonObject().put("port", true)), "data.port: "),
      Arguments.of(new JsonObject().put("nodeId", "bad id!"), "nodeId: "),
      Arguments.of(new JsonObject().put("host", ""), "host: "),
      Arguments.of(new JsonObject().put("roots", new JsonObject().put("../x", "/tmp")), "roots.../x: "),
      Arguments.of(new JsonObject().put("roots", new JsonObject().put("logs", 5)), "roots.logs: "),
      Arguments.of(new JsonObject().put("roots", "data"), "roots: "),
      Arguments.of(new JsonObject().put("bogus", 1), "bogus: unknown key"),
      Arguments.of(new JsonObject().put("bridge", new JsonObject().put("prot", 7000)), "bridge.prot: unknown key"),
      Arguments.of(new JsonObject().put("limits", new JsonObject().put("maxTransfers", 0)), "limits.maxTransfers: "),
      Arguments.of(new JsonObject().put("limits", new JsonObject().put("maxRequestBytes", 10)),
        "limits.maxRequestBytes: "),
      Arguments.of(new JsonObject().put("process", new JsonObject().put("allow", new JsonArray().add(1))),
        "process.allow[0]: "),
      Arguments.of(new JsonObject().put("egress", new JsonObject().put("deny", new JsonArray().add("10.0.0.0/40"))),
        "egress.deny[0]: "),
      Arguments.of(new JsonObject().put("egress", new JsonObject().put("block", new JsonArray())),
        "egress.block: unknown key"),
      Arguments.of(new JsonObject().put("process", new JsonObject().put("env", new JsonArray().add("A=B"))),
        "process.env[0]: must be an environment variable's name"),
      Arguments.of(new JsonObject().put("pools", new JsonArray().add(new JsonObject())), "pools[0].name: "),
      Arguments.of(new JsonObject().put("pools", new JsonArray().add(new JsonObject().put("name", "p")
        .put("max", 2))), "pools[0].max: unknown key"),
      Arguments.of(new JsonObject().put("bridge", new JsonObject().put("tls", new JsonObject()
        .put("keyStore", new JsonObject()))), "bridge.tls.keyStore.path: "),
      Arguments.of(new JsonObject().put("eventBus", new JsonObject().put("tls", "yes")), "eventBus.tls: "),
      Arguments.of(new JsonObject().put("sockjs", new JsonObject().put("path", "eventbus")), "sockjs.path: "),
      Arguments.of(new JsonObject().put("http", new JsonObject().put("allowedOrigins", new JsonArray()
        .add("https://ok.example").add("https://dash.example/path"))), "http.allowedOrigins[1]: must be an origin"),
      Arguments.of(new JsonObject().put("http", new JsonObject().put("allowedOrigins", "*")),
        "http.allowedOrigins: must be a list"),
      Arguments.of(auth(new JsonObject().put("name", "ci").put("token", "short").put("role", "submit")),
        "auth.tokens[0].token: must be at least 16 printable characters"),
      Arguments.of(auth(new JsonObject().put("name", "ci").put("token", LONG).put("role", "root")),
        "auth.tokens[0].role: must be read, submit or admin, got \"root\""),
      Arguments.of(auth(new JsonObject().put("name", "ci").put("token", LONG).put("tokenFile", "/x").put("role", "read")),
        "auth.tokens[0]: needs exactly one of token and tokenFile"),
      Arguments.of(auth(new JsonObject().put("name", "ci").put("tokenFile", "/no/such/token").put("role", "read")),
        "auth.tokens[0].tokenFile: cannot read /no/such/token"),
      Arguments.of(auth("ci:read:" + LONG, "ci:admin:" + LONG + "x"), "auth.tokens[1].name: \"ci\" names two tokens"),
      Arguments.of(auth("ci:read:" + LONG, "ops:admin:" + LONG), "auth.tokens[1].token: the same secret"),
      Arguments.of(auth("ci-read-" + LONG), "auth.tokens[0]: must be \"name:role:token\""),
      Arguments.of(new JsonObject().put("auth", new JsonObject().put("allowAnonymous", "yes")), "auth.allowAnonymous: "),
      Arguments.of(new JsonObject().put("auth", new JsonObject().put("users", new JsonArray())), "auth.users: unknown key"),
      Arguments.of(new JsonObject().put("bridge", new JsonObject().put("host", "0.0.0.0")),
        "bridge.host: 0.0.0.0 is not a loopback address, and no auth.tokens are configured"),
      Arguments.of(new JsonObject().put("http", new JsonObject().put("host", "192.168.1.20")),
        "http.host: 192.168.1.20 is not a loopback address"),
      Arguments.of(new JsonObject().put("process", new JsonObject().put("allow", new JsonArray()
        .add(new JsonObject().put("command", "tar").put("args", new JsonArray().add("(unclosed"))))),
        "process.allow[0].args[0]: not a regular expression"),
      Arguments.of(new JsonObject().put("process", new JsonObject().put("allow", new JsonArray()
        .add(new JsonObject().put("cmd", "tar")))), "process.allow[0].cmd: unknown key")
    );
  }

  static final String LONG = "0123456789abcdef0123";

  private static JsonObject auth(Object... tokens) {
    return new JsonObject().put("auth", new JsonObject().put("tokens", new JsonArray(java.util.List.of(tokens))));
  }

  @Test
  void tokens_come_from_the_config_a_file_or_the_environment_and_then_any_address_may_be_bound() throws Exception {
    Path file = dir.resolve("ops.token");
    Files.writeString(file, "ops-secret-from-a-file-0123\n");
    NodeConfig config = load(null, Map.of("XFER_AUTH_TOKENS", "ci:submit:" + LONG + ",viewer:read:" + LONG + "v"),
      Map.of(), new JsonObject().put("bridge", new JsonObject().put("host", "0.0.0.0")));
    assertThat(config.tokens().tokens()).extracting(t -> t.name() + "/" + t.access().label())
      .containsExactly("ci/submit", "viewer/read");
    assertThat(config.tokens().authenticate("Bearer " + LONG, "h").name()).isEqualTo("ci");
    NodeConfig fromFile = load(null, Map.of(), Map.of(), auth(new JsonObject().put("name", "ops")
      .put("tokenFile", file.toString()).put("role", "admin")));
    assertThat(fromFile.tokens().authenticate("bearer ops-secret-from-a-file-0123", "h").access())
      .isEqualTo(io.xfernode.api.Access.ADMIN);
    assertThatThrownBy(() -> fromFile.tokens().authenticate("Bearer ops-secret-from-a-file-012", "h"))
      .hasMessage("h: unknown token");
    assertThat(fromFile.tokens().toString()).doesNotContain("ops-secret");
  }

  @Test
  void without_tokens_a_control_port_beyond_loopback_needs_allow_anonymous() throws Exception {
    NodeConfig open = load(null, Map.of(), Map.of(), new JsonObject().put("auth", new JsonObject()
      .put("allowAnonymous", true)).put("http", new JsonObject().put("host", "0.0.0.0")));
    assertThat(open.allowAnonymous()).isTrue();
    assertThat(open.openHealth()).as("the default").isFalse();
    assertThat(open.tokens().required()).isFalse();
    for (String loopback : java.util.List.of("127.0.0.1", "127.1.2.3", "localhost", "::1")) {
      assertThat(load(null, Map.of(), Map.of(), new JsonObject().put("bridge", new JsonObject().put("host", loopback)))
        .bridge().host()).isEqualTo(loopback);
    }
  }

  @Test
  void a_process_allow_entry_may_limit_the_arguments() throws Exception {
    NodeConfig config = load(null, Map.of(), Map.of(), new JsonObject().put("process", new JsonObject()
      .put("allow", new JsonArray().add("cat").add(new JsonObject().put("command", "tr")
        .put("args", new JsonArray().add("-d").add("[a-z]"))))));
    assertThat(config.processAllow().commands()).containsExactly("cat", "tr");
    config.processAllow().check(java.util.List.of("tr", "-d", "x"), "source.command");
    assertThatThrownBy(() -> config.processAllow().check(java.util.List.of("tr", "-s", "x"), "source.command"))
      .hasMessage("source.command[1]: \"-s\" is not an argument process.allow permits for \"tr\"");
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void a_bad_value_is_refused_with_its_key_named(JsonObject flags, String messageStart) {
    assertThatThrownBy(() -> load(null, Map.of(), Map.of(), flags))
      .isInstanceOf(ConfigException.class)
      .hasMessageStartingWith(messageStart)
      .hasMessageNotContaining("\n");
  }

  @Test
  void a_bad_environment_value_is_refused_with_its_key_named() {
    assertThatThrownBy(() -> load(null, Map.of("XFER_BRIDGE_PORT", "seven"), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("bridge.port: ").hasMessageContaining("seven");
    assertThatThrownBy(() -> load(null, Map.of("XFER_ROOTS", "{not json"), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("roots: ");
  }

  @Test
  void a_missing_or_malformed_conf_file_is_refused() throws Exception {
    assertThatThrownBy(() -> load(dir.resolve("nope.yaml"), Map.of(), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("--conf: no such file");
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(broken, "bridge: [unclosed\n  port: : :\n");
    assertThatThrownBy(() -> load(broken, Map.of(), Map.of(), new JsonObject()))
      .isInstanceOf(ConfigException.class).hasMessageStartingWith("--conf: ").hasMessageNotContaining("\n");
  }

  @Test
  void env_names_follow_the_key_paths() {
    assertThat(KeyPaths.envName("nodeId")).isEqualTo("XFER_NODE_ID");
    assertThat(KeyPaths.envName("limits.maxBufferedBytes")).isEqualTo("XFER_LIMITS_MAX_BUFFERED_BYTES");
    assertThat(KeyPaths.envName("bridge.port")).isEqualTo("XFER_BRIDGE_PORT");
  }
}
