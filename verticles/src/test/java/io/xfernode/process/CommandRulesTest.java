package io.xfernode.process;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** process.allow: bare commands take any arguments; {command, args} entries take only matching ones. */
class CommandRulesTest {

  private final CommandRules rules = CommandRules.parse(new JsonArray()
    .add("cat")
    .add(new JsonObject().put("command", "gzip").put("args", new JsonArray().add("-[1-9]").add("-c")))
    .add(new JsonObject().put("command", "true").put("args", new JsonArray())), "process.allow");

  private XferException refusal(String... command) {
    try {
      rules.check(List.of(command), "source.command");
    } catch (XferException e) {
      return e;
    }
    throw new AssertionError("allowed: " + String.join(" ", command));
  }

  @Test
  void a_bare_command_takes_any_arguments() {
    assertThatCode(() -> rules.check(List.of("cat", "-n", "data/x"), "f")).doesNotThrowAnyException();
  }

  @Test
  void an_entry_with_patterns_takes_only_arguments_that_match_one_whole() {
    assertThatCode(() -> rules.check(List.of("gzip", "-9", "-c"), "f")).doesNotThrowAnyException();
    XferException e = refusal("gzip", "-9", "-d");
    org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo(403);
    org.assertj.core.api.Assertions.assertThat(e.getMessage())
      .isEqualTo("source.command[2]: \"-d\" is not an argument process.allow permits for \"gzip\"");
    // a pattern matches the whole argument, not a part of it
    org.assertj.core.api.Assertions.assertThat(refusal("gzip", "-9x").getMessage()).startsWith("source.command[1]: ");
    org.assertj.core.api.Assertions.assertThat(refusal("true", "x").getMessage()).startsWith("source.command[1]: ");
    assertThatCode(() -> rules.check(List.of("true"), "f")).doesNotThrowAnyException();
  }

  @Test
  void a_command_not_listed_is_refused_naming_it() {
    org.assertj.core.api.Assertions.assertThat(refusal("sh", "-c", "id").getMessage())
      .isEqualTo("source.command: \"sh\" is not allow-listed");
  }

  @Test
  void a_bad_entry_is_refused_naming_it() {
    assertThatThrownBy(() -> CommandRules.parse(new JsonArray().add(5), "process.allow"))
      .hasMessageStartingWith("process.allow[0]: must be a command or {command, args: [patterns]}");
    assertThatThrownBy(() -> CommandRules.parse(new JsonArray().add(new JsonObject().put("args", new JsonArray())),
      "process.allow")).hasMessage("process.allow[0].command: must be a command name or path");
    assertThatThrownBy(() -> CommandRules.parse(new JsonArray().add(new JsonObject().put("command", "x")
      .put("args", "-c")), "process.allow")).hasMessageStartingWith("process.allow[0].args: must be a list");
  }
}
