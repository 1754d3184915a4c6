package io.xfernode.transfer;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.element.ElementRegistry;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a transfer's {@code bytes} count (SPEC 2.3): the source's bytes, which its {@code total} describes
 * too, so that {@code bytes} never exceeds {@code total}; what filters made of them is {@code bytesOut}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class ByteCountsTest {

  /** Compresses about 100 to 1 with gzip. */
  private static final byte[] TEXT = text(4 * 1024 * 1024 + 17);

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(ElementRegistry.load(), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  private static byte[] text(int length) {
    byte[] line = "bytes never exceed total: the source's bytes are counted, not the filter's\n"
      .getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = line[i % line.length];
    }
    return b;
  }

  private static byte[] gzip(byte[] b) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(b);
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] b) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }

  private static JsonObject file(String path) {
    return new JsonObject().put("type", "file").put("path", path);
  }

  /** Runs {@code spec} and returns its events up to {@code done}, then its final status. */
  private List<JsonObject> runCollecting(JsonObject spec) throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
    MessageConsumer<JsonObject> consumer = fx.vertx().eventBus().consumer(Addresses.events(spec.getString("id")),
      m -> {
        events.add(m.body());
        if ("done".equals(m.body().getString("type"))) {
          done.complete(null);
        }
      });
    await(consumer.completion());
    try {
      JsonObject status = fx.run(spec);
      done.get(30, java.util.concurrent.TimeUnit.SECONDS);
      events.add(status);
      return events;
    } finally {
      await(consumer.unregister());
    }
  }

  private static void assertBytesWithinTotal(List<JsonObject> events, long total) {
    JsonObject status = events.get(events.size() - 1);
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getLong("total")).as("status total").isEqualTo(total);
    assertThat(status.getLong("bytes")).as("status bytes").isEqualTo(total);
    for (JsonObject e : events.subList(0, events.size() - 1)) {
      if ("progress".equals(e.getString("type"))) {
        assertThat(e.getLong("bytes")).as("bytes of %s", e).isLessThanOrEqualTo(total);
        assertThat(e.getLong("total")).as("total of %s", e).isEqualTo(total);
        assertThat(e.containsKey("bytesOut")).as("bytesOut in %s", e).isTrue();
      }
    }
    JsonObject done = events.stream().filter(e -> "done".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(done.getLong("bytes")).as("done bytes").isEqualTo(total);
    assertThat(done.getLong("bytesOut")).as("done bytesOut").isEqualTo(status.getLong("bytesOut"));
  }

  @Test
  void gzip_of_compressible_data_counts_the_source_bytes_and_the_smaller_output_apart() throws Exception {
    String name = "gz-" + UUID.randomUUID();
    Files.write(fx.path(name + ".txt"), TEXT);
    List<JsonObject> events = runCollecting(new JsonObject().put("id", name)
      .put("source", file("data/" + name + ".txt"))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip")))
      .put("sink", file("data/" + name + ".gz"))
      .put("options", new JsonObject().put("rateLimit", 4L << 20)));
    assertBytesWithinTotal(events, TEXT.length);
    byte[] written = Files.readAllBytes(fx.path(name + ".gz"));
    assertThat(gunzip(written)).isEqualTo(TEXT);
    assertThat(events.get(events.size() - 1).getLong("bytesOut")).as("bytesOut").isEqualTo(written.length);
  }

  @Test
  void gunzip_that_expands_data_counts_the_source_bytes_and_the_larger_output_apart() throws Exception {
    String name = "gunz-" + UUID.randomUUID();
    byte[] gz = gzip(TEXT);
    Files.write(fx.path(name + ".gz"), gz);
    List<JsonObject> events = runCollecting(new JsonObject().put("id", name)
      .put("source", file("data/" + name + ".gz"))
      .put("filters", new JsonArray().add(new JsonObject().put("type", "gunzip")))
      .put("sink", file("data/" + name + ".txt"))
      .put("options", new JsonObject().put("rateLimit", 8L << 20)));
    assertBytesWithinTotal(events, gz.length);
    assertThat(Files.readAllBytes(fx.path(name + ".txt"))).isEqualTo(TEXT);
    assertThat(events.get(events.size() - 1).getLong("bytesOut")).as("bytesOut").isEqualTo(TEXT.length);
  }

  @Test
  void a_done_tree_transfer_counts_the_sum_of_its_file_sizes() throws Exception {
    copyTree(new int[] {0, 1, 1000, 65_537, 300_001});
  }

  @Test
  void a_tree_of_empty_files_is_done_with_no_bytes() throws Exception {
    copyTree(new int[] {0, 0, 0});
  }

  private void copyTree(int[] sizes) throws Exception {
    String name = "tree-" + UUID.randomUUID();
    Path src = Files.createDirectories(fx.path(name));
    long sum = 0;
    java.util.Random r = new java.util.Random(11);
    for (int i = 0; i < sizes.length; i++) {
      byte[] b = new byte[sizes[i]];
      r.nextBytes(b);
      Path p = src.resolve("d" + (i % 2) + "/f" + i + ".bin");
      Files.createDirectories(p.getParent());
      Files.write(p, b);
      sum += sizes[i];
    }
    List<JsonObject> events = runCollecting(new JsonObject().put("id", name)
      .put("source", file("data/" + name).put("recursive", true))
      .put("sink", file("data/" + name + "-out")));
    JsonObject status = events.get(events.size() - 1);
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).as("bytes of a tree: the sum of its file sizes").isEqualTo(sum);
    JsonObject done = events.stream().filter(e -> "done".equals(e.getString("type"))).findFirst().orElseThrow();
    assertThat(done.getLong("bytes")).as("done bytes").isEqualTo(sum);
    assertThat(status.getLong("filesTotal")).as("files of the tree").isEqualTo(sizes.length);
    assertThat(status.getLong("filesDone")).as("files sent, once DONE").isEqualTo(sizes.length);
    events.stream().filter(e -> "progress".equals(e.getString("type")) && e.containsKey("filesTotal"))
      .forEach(e -> assertThat(e.getLong("filesDone")).isBetween(0L, (long) sizes.length));
    for (int i = 0; i < sizes.length; i++) {
      String rel = "d" + (i % 2) + "/f" + i + ".bin";
      assertThat(Files.readAllBytes(fx.path(name + "-out").resolve(rel))).as(rel)
        .isEqualTo(Files.readAllBytes(src.resolve(rel)));
    }
  }
}
