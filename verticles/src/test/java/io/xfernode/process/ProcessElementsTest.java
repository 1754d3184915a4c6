package io.xfernode.process;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.MemoryElements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code process} source and filter, on a node that allow-lists {@code cat}, {@code tr} and {@code false}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ProcessElementsTest {

  private final MemoryElements memory = new MemoryElements();
  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(memory.registry(), List.of("cat", "tr", "false", "sh-is-not-allowed", "env", "pwd"));
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void tr_uppercases_a_pattern_exactly() throws Exception {
    String pattern = "the quick brown fox jumps over the lazy dog 0123456789\n";
    int length = 1_000_001;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("pattern", pattern).put("length", length))
      .put("filters", new JsonArray().add(filter("tr", "a-z", "A-Z")))
      .put("sink", new JsonObject().put("type", "memory").put("key", "upper")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    String expected = pattern.repeat(length / pattern.length() + 1).substring(0, length).toUpperCase(Locale.ROOT);
    assertThat(new String(memory.get("upper"), StandardCharsets.US_ASCII)).isEqualTo(expected);
  }

  @Test
  void cat_passes_3_mib_of_random_bytes_unchanged() throws Exception {
    int length = 3 * 1024 * 1024 + 77;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 9).put("length", length))
      .put("filters", new JsonArray().add(filter("cat")))
      .put("sink", new JsonObject().put("type", "digest")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(length);
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(RandomBytes.bytes(9, length)));
  }

  @Test
  void the_process_source_gives_the_bytes_cat_reads_from_a_file() throws Exception {
    byte[] bytes = RandomBytes.bytes(10, 2 * 1024 * 1024 + 5);
    Path file = fx.path("process-source.bin"); // inside the root: an argument may not reach past it
    try {
      Files.write(file, bytes);
      JsonObject status = fx.run(new JsonObject()
        .put("source", new JsonObject().put("type", "process").put("command", new JsonArray().add("cat").add(file.toString())))
        .put("sink", new JsonObject().put("type", "memory").put("key", "file")));
      assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
      assertThat(memory.get("file")).isEqualTo(bytes);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Test
  void a_command_that_is_not_allow_listed_is_refused_with_403_naming_the_field() {
    assertRefused(source("sh", "-c", "echo hi"), 403, "source.command: \"sh\" is not allow-listed");
    assertRefused(source("/bin/cat"), 403, "source.command: \"/bin/cat\" is not allow-listed");
    assertRefused(pipe(filter("sh", "-c", "echo hi")), 403, "filters[0].command: \"sh\" is not allow-listed");
    assertRefused(pipe(filter("/bin/cat")), 403, "filters[0].command: \"/bin/cat\" is not allow-listed");
  }

  @Test
  void a_malformed_command_is_refused_with_400_naming_the_field() {
    assertRefused(source(), 400, "source.command");
    assertRefused(pipe(filter()), 400, "filters[0].command");
    assertRefused(new JsonObject().put("source", new JsonObject().put("type", "process"))
      .put("sink", new JsonObject().put("type", "null")), 400, "source.command: is required");
    assertRefused(new JsonObject().put("source", new JsonObject().put("type", "process").put("command", "cat"))
      .put("sink", new JsonObject().put("type", "null")), 400, "source.command: must be a list");
    assertRefused(source("cat", "a\0b"), 400, "source.command[1]: must not contain NUL");
    assertRefused(source("cat", 7), 400, "source.command[1]: must be a string");
    assertRefused(source(""), 400, "source.command[0]: must not be empty");
    Object[] tooMany = new Object[65];
    java.util.Arrays.fill(tooMany, "x");
    assertRefused(source(tooMany), 400, "source.command: must have at most 64 items");
  }

  @Test
  void an_allow_listed_command_that_cannot_run_is_refused_naming_the_field() {
    // the fixture's allow-list names a program that no machine has
    assertRefused(source("sh-is-not-allowed"), 500, "source.command: cannot run \"sh-is-not-allowed\"");
    assertRefused(pipe(filter("sh-is-not-allowed")), 500, "filters[0].command: cannot run \"sh-is-not-allowed\"");
  }

  @Test
  void a_source_command_that_exits_non_zero_fails_the_transfer_naming_the_element() throws Exception {
    JsonObject error = failed(source("false"));
    assertThat(error.getInteger("code")).as("the command failed: an outside party").isEqualTo(502);
    assertThat(error.getString("element")).isEqualTo("source");
    assertThat(error.getString("message")).contains("exited with code 1");
  }

  @Test
  void a_filter_command_that_exits_non_zero_fails_the_transfer_naming_the_element() throws Exception {
    JsonObject error = failed(pipe(filter("false")));
    assertThat(error.getString("element")).isEqualTo("filters[0]");
    assertThat(error.getString("message")).contains("exited with code 1");
  }

  @Test
  void a_failure_quotes_the_end_of_stderr() throws Exception {
    JsonObject error = failed(source("cat", "no/such/file/for/xfernode"));
    assertThat(error.getString("element")).isEqualTo("source");
    assertThat(error.getString("message")).contains("exited with code 1").contains("no/such/file/for/xfernode")
      .contains("No such file");
  }

  @Test
  void arguments_that_reach_past_the_roots_are_refused_with_403_naming_the_item() throws Exception {
    assertRefused(source("cat", "/etc/passwd"), 403, "source.command[1]: \"/etc/passwd\" resolves outside the node's roots");
    assertRefused(source("cat", "/proc/self/environ"), 403,
      "source.command[1]: \"/proc/self/environ\": /proc, /sys and /dev are never allowed");
    assertRefused(source("cat", "../../../etc/passwd"), 403, "source.command[1]: \"../../../etc/passwd\" resolves outside");
    assertRefused(source("cat", "a", "--file=/etc/shadow"), 403, "source.command[2]: \"--file=/etc/shadow\" resolves outside");
    assertRefused(pipe(filter("tr", "a", "/etc/hosts")), 403, "filters[0].command[2]");
    // a link inside the root that points out of it is followed
    Files.createSymbolicLink(fx.path("to-etc"), Path.of("/etc"));
    assertRefused(source("cat", fx.root().resolve("to-etc/passwd").toString()), 403, "resolves outside the node's roots");
  }

  @Test
  void a_command_runs_in_the_root_with_paths_inside_it_and_a_reduced_environment() throws Exception {
    byte[] data = RandomBytes.bytes(3, 70_000);
    Files.write(fx.path("args-in.bin"), data);
    // relative to the directory it runs in (the root), and absolute inside the root: both allowed
    for (String arg : List.of("args-in.bin", fx.root().resolve("args-in.bin").toString(), "sub/../args-in.bin")) {
      Files.createDirectories(fx.path("sub"));
      JsonObject status = fx.run(source("cat", arg).put("sink", new JsonObject().put("type", "digest")));
      assertThat(status.getString("state")).as("%s: %s", arg, status.getJsonObject("error")).isEqualTo("DONE");
      assertThat(status.getLong("bytes")).as(arg).isEqualTo(data.length);
    }
    // where it runs, and with what environment: as the command itself sees them
    assertThat(fx.run(source("pwd").put("sink", new JsonObject().put("type", "memory").put("key", "pwd")))
      .getString("state")).isEqualTo("DONE");
    assertThat(new String(memory.get("pwd"), StandardCharsets.UTF_8).trim()).isEqualTo(fx.root().toRealPath().toString());
    assertThat(fx.run(source("env").put("sink", new JsonObject().put("type", "memory").put("key", "env")))
      .getString("state")).isEqualTo("DONE");
    List<String> names = new String(memory.get("env"), StandardCharsets.UTF_8).lines()
      .map(l -> l.substring(0, Math.max(0, l.indexOf('=')))).toList();
    assertThat(names).as("the command's environment").isSubsetOf("PATH", "LANG").contains("PATH");
  }

  private JsonObject failed(JsonObject spec) throws Exception {
    JsonObject status = fx.run(spec);
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("FAILED");
    return status.getJsonObject("error");
  }

  private void assertRefused(JsonObject spec, int code, String message) {
    assertThatThrownBy(() -> EngineFixture.await(fx.submit(spec)))
      .as(spec.encode())
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
      .hasMessageContaining(message);
  }

  private static JsonObject source(Object... command) {
    return new JsonObject().put("source", new JsonObject().put("type", "process").put("command", new JsonArray(List.of(command))))
      .put("sink", new JsonObject().put("type", "null"));
  }

  private static JsonObject pipe(JsonObject filter) {
    return new JsonObject().put("source", new JsonObject().put("type", "pattern").put("length", 100_000))
      .put("filters", new JsonArray().add(filter))
      .put("sink", new JsonObject().put("type", "null"));
  }

  private static JsonObject filter(Object... command) {
    return new JsonObject().put("type", "process").put("command", new JsonArray(List.of(command)));
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
