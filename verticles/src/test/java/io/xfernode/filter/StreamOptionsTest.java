package io.xfernode.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad options of the stream elements are refused at submit with 400, and the message names the field. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class StreamOptionsTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static Stream<Arguments> badFilters() {
    return Stream.of(
      arguments(gzip().put("level", 0), "filters[0].level: must be an integer from 1 to 9, got 0"),
      arguments(gzip().put("level", 10), "filters[0].level: must be an integer from 1 to 9, got 10"),
      arguments(gzip().put("level", "fast"), "filters[0].level: must be an integer from 1 to 9, got \"fast\""),
      arguments(gzip().put("level", 6.5), "filters[0].level: must be an integer"),
      arguments(gzip().put("lvl", 6), "filters[0].lvl: unknown key"),
      arguments(filter("gunzip").put("level", 6), "filters[0].level: unknown key"),
      arguments(filter("null").put("rate", 1), "filters[0].rate: unknown key"),
      arguments(filter("throttle"), "filters[0].rate: is required"),
      arguments(filter("throttle").put("rate", 0), "filters[0].rate: must be an integer from 1 to"),
      arguments(filter("throttle").put("rate", -5), "filters[0].rate: must be an integer from 1 to"),
      arguments(filter("throttle").put("rate", "1MB"), "filters[0].rate: must be an integer"),
      arguments(filter("throttle").put("rate", 10).put("burst", 1), "filters[0].burst: unknown key"),
      arguments(filter("process").put("command", new JsonArray().add("cat")).put("shell", true),
        "filters[0].shell: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("badFilters")
  void a_bad_filter_option_is_refused_naming_the_field(JsonObject filter, String message) {
    assertRefused(new JsonObject().put("source", pattern().put("length", 10))
      .put("filters", new JsonArray().add(filter)).put("sink", new JsonObject().put("type", "null")), message);
  }

  static Stream<Arguments> badSources() {
    return Stream.of(
      arguments(pattern(), "source.length: is required"),
      arguments(pattern().put("length", -1), "source.length: must be an integer from 0 to"),
      arguments(pattern().put("length", "big"), "source.length: must be an integer"),
      arguments(pattern().put("length", 1).put("pattern", ""), "source.pattern: must be a non-empty string"),
      arguments(pattern().put("length", 1).put("pattern", 7), "source.pattern: must be a non-empty string"),
      arguments(pattern().put("length", 1).put("pattern", "x".repeat(4097)),
        "source.pattern: must be at most 4096 bytes in UTF-8, got 4097"),
      // 2049 characters, but 4098 bytes
      arguments(pattern().put("length", 1).put("pattern", "é".repeat(2049)),
        "source.pattern: must be at most 4096 bytes in UTF-8, got 4098"),
      arguments(pattern().put("length", 1).put("seed", 1), "source.seed: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("badSources")
  void a_bad_source_option_is_refused_naming_the_field(JsonObject source, String message) {
    assertRefused(new JsonObject().put("source", source).put("sink", new JsonObject().put("type", "null")), message);
  }

  private void assertRefused(JsonObject spec, String message) {
    assertThatThrownBy(() -> EngineFixture.await(fx.submit(spec)))
      .as(spec.encode())
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(400))
      .hasMessageContaining(message);
  }

  private static JsonObject gzip() {
    return filter("gzip");
  }

  private static JsonObject filter(String type) {
    return new JsonObject().put("type", type);
  }

  private static JsonObject pattern() {
    return new JsonObject().put("type", "pattern");
  }
}
