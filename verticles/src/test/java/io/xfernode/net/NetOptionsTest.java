package io.xfernode.net;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Bad options of the {@code udp} and {@code http} elements are refused at submit with 400, naming the field. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class NetOptionsTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static Stream<Arguments> badSinks() {
    return Stream.of(
      arguments(udp(), "sink.port: is required"),
      arguments(udp().put("port", 70000), "sink.port: must be an integer from 1 to 65535, got 70000"),
      arguments(udp().put("port", 0), "sink.port: must be an integer from 1 to 65535, got 0"),
      arguments(udp().put("port", 9).put("datagramSize", 0),
        "sink.datagramSize: must be an integer from 1 to 65507, got 0"),
      arguments(udp().put("port", 9).put("datagramSize", 65508),
        "sink.datagramSize: must be an integer from 1 to 65507, got 65508"),
      arguments(udp().put("port", 9).put("rate", 0), "sink.rate: must be an integer from 1 to"),
      arguments(udp().put("port", 9).put("host", "bad host!"), "sink.host: not a host name or address"),
      arguments(udp().put("port", 9).put("mode", "connect"), "sink.mode: unknown key"),
      arguments(new JsonObject().put("type", "udp").put("port", 9), "sink.host: is required"),
      arguments(http("http://h/x").put("method", "DELETE"), "sink.method: must be one of PUT, POST, got \"DELETE\""),
      arguments(http("ftp://h/x"), "sink.url: must be an http or https URL, got \"ftp://h/x\""),
      arguments(http("http://h:99999/x"), "sink.url: needs a host (and a port from 1 to 65535)"),
      arguments(http("http:///x"), "sink.url: needs a host"),
      arguments(http("http://h/a b"), "sink.url: not a URL: \"http://h/a b\""),
      arguments(new JsonObject().put("type", "http"), "sink.url: is required"),
      arguments(http("http://h/x").put("headers", new JsonObject().put("X-A", 1)),
        "sink.headers.X-A: must be a string, got 1"),
      arguments(http("http://h/x").put("headers", new JsonObject().put("X-A", "a\r\nHost: evil")),
        "sink.headers.X-A: must not contain line breaks"),
      arguments(http("http://h/x").put("headers", new JsonObject().put("Bad Name", "v")),
        "sink.headers.Bad Name: not a valid header name"),
      arguments(http("http://h/x").put("headers", "X-A: 1"), "sink.headers: must be an object"),
      arguments(http("http://h/x").put("timeout", "soon"), "sink.timeout: must be an ISO-8601 duration"),
      arguments(http("http://h/x").put("timeout", "PT0S"), "sink.timeout: must be positive"),
      arguments(http("http://h/x").put("tls", new JsonObject().put("trustEveryone", true)),
        "sink.tls.trustEveryone: unknown key"),
      arguments(http("http://h/x").put("verb", "PUT"), "sink.verb: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("badSinks")
  void a_bad_sink_option_is_refused_naming_the_field(JsonObject sink, String message) {
    assertRefused(new JsonObject().put("source", new JsonObject().put("type", "pattern").put("length", 10))
      .put("sink", sink), message);
  }

  static Stream<Arguments> badSources() {
    return Stream.of(
      arguments(udpSource().put("port", 65536), "source.port: must be an integer from 0 to 65535, got 65536"),
      arguments(udpSource().put("idleTimeout", "PT0S"), "source.idleTimeout: must be positive"),
      arguments(udpSource().put("idleTimeout", "whenever"), "source.idleTimeout: must be an ISO-8601 duration"),
      arguments(udpSource().put("length", 0), "source.length: must be an integer from 1 to"),
      arguments(udpSource().put("receiveBuffer", 1024), "source.receiveBuffer: must be an integer from 65536 to"),
      arguments(udpSource().put("datagramSize", 1000), "source.datagramSize: unknown key"),
      arguments(new JsonObject().put("type", "http").put("url", "not a url"), "source.url: not a URL"),
      arguments(new JsonObject().put("type", "http").put("url", "mailto:x@example.org"),
        "source.url: must be an http or https URL"),
      arguments(new JsonObject().put("type", "http").put("url", "http://h/x").put("method", "PUT"),
        "source.method: unknown key"));
  }

  @ParameterizedTest
  @MethodSource("badSources")
  void a_bad_source_option_is_refused_naming_the_field(JsonObject source, String message) {
    assertRefused(new JsonObject().put("source", source).put("sink", new JsonObject().put("type", "null")), message);
  }

  @Test
  void udp_and_http_uris_parse_into_their_elements() throws Exception {
    JsonObject plan = EngineFixture.await(fx.engine().plan(new JsonObject()
      .put("source", "https://example.org/a.bin?x=1").put("sink", "udp://127.0.0.1:9000"))).getJsonObject("plan");
    assertThat(plan.getJsonArray("elements").getJsonObject(0).getString("type")).isEqualTo("http");
    assertThat(plan.getJsonArray("elements").getJsonObject(0).getString("describe"))
      .isEqualTo("the body of GET https://example.org/a.bin?x=1");
    JsonObject sink = plan.getJsonArray("elements").getJsonObject(plan.getJsonArray("elements").size() - 1);
    assertThat(sink.getString("type")).isEqualTo("udp");
    assertThat(sink.getString("describe")).isEqualTo("sends datagrams of 1472 bytes to udp 127.0.0.1:9000");
  }

  private void assertRefused(JsonObject spec, String message) {
    assertThatThrownBy(() -> EngineFixture.await(fx.submit(spec)))
      .as(spec.encode())
      .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(400))
      .hasMessageContaining(message);
  }

  private static JsonObject udp() {
    return new JsonObject().put("type", "udp").put("host", "127.0.0.1");
  }

  private static JsonObject udpSource() {
    return new JsonObject().put("type", "udp");
  }

  private static JsonObject http(String url) {
    return new JsonObject().put("type", "http").put("url", url);
  }
}
