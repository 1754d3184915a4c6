package io.xfernode.source;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.MemoryElements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PatternSourceTest {

  private final MemoryElements memory = new MemoryElements();
  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(memory.registry(), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void fill_repeats_the_pattern_from_any_offset() {
    byte[] pattern = "0123456".getBytes(StandardCharsets.US_ASCII);
    for (long offset : new long[]{0, 1, 6, 7, 8, 1_000_003}) {
      for (int size : new int[]{0, 1, 5, 7, 8, 20, 1000}) {
        byte[] out = new byte[size];
        PatternSource.fill(pattern, offset, out);
        assertThat(out).as("offset %d, size %d", offset, size).isEqualTo(expected(pattern, offset, size));
      }
    }
  }

  @Test
  void pattern_bytes_are_the_pattern_repeated_and_cut_at_length() throws Exception {
    String pattern = "abc\n";
    int length = 1_000_003;
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("pattern", pattern).put("length", length))
      .put("sink", new JsonObject().put("type", "memory").put("key", "ascii")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("ascii")).isEqualTo(expected(pattern.getBytes(StandardCharsets.UTF_8), 0, length));
  }

  @Test
  void a_multibyte_pattern_repeats_its_utf8_bytes_also_when_pulled() throws Exception {
    String pattern = "héllo wörld ✓ ";
    int length = 777_777;
    // gzip and gunzip only run over PULL, so the source is pulled here
    JsonObject status = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "pattern").put("pattern", pattern).put("length", length))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip")).add(new JsonObject().put("type", "gunzip")))
      .put("sink", new JsonObject().put("type", "memory").put("key", "utf8")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("utf8")).isEqualTo(expected(pattern.getBytes(StandardCharsets.UTF_8), 0, length));
  }

  @Test
  void the_default_pattern_is_used_and_length_zero_sends_nothing() throws Exception {
    fx.run(new JsonObject().put("source", new JsonObject().put("type", "pattern").put("length", 20))
      .put("sink", new JsonObject().put("type", "memory").put("key", "default")));
    assertThat(new String(memory.get("default"), StandardCharsets.UTF_8)).isEqualTo("xfernode\nxfernode\nxf");
    JsonObject status = fx.run(new JsonObject().put("source", new JsonObject().put("type", "pattern").put("length", 0))
      .put("sink", new JsonObject().put("type", "memory").put("key", "empty")));
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("empty")).isEmpty();
  }

  static byte[] expected(byte[] pattern, long offset, int size) {
    byte[] out = new byte[size];
    for (int i = 0; i < size; i++) {
      out[i] = pattern[(int) ((offset + i) % pattern.length)];
    }
    return out;
  }
}
