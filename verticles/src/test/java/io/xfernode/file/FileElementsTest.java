package io.xfernode.file;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.Leaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static io.xfernode.test.EngineFixture.failureCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file source and sink: copies, plans, options, refusals, and what is left after a failure. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class FileElementsTest {

  static final int LENGTH = 3 * 1024 * 1024 + 777;

  private EngineFixture fx;
  private byte[] data;

  @BeforeAll
  void start() throws Exception {
    // small rings: a rate-limited copy keeps its source reading for seconds, so tests can act mid-read
    fx = EngineFixture.start(io.xfernode.element.ElementRegistry.load(), List.of(), 1 << 20);
    data = RandomBytes.bytes(99, LENGTH);
    Files.write(fx.path("in.bin"), data);
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  static JsonObject file(String path) {
    return new JsonObject().put("type", "file").put("path", path);
  }

  static String unique(String name) {
    return name + "-" + UUID.randomUUID();
  }

  @Test
  void file_to_file_copies_every_byte_through_a_zero_copy_channel() throws Exception {
    String out = unique("copy") + ".bin";
    JsonObject spec = new JsonObject().put("source", file("data/in.bin")).put("sink", file("data/" + out));
    JsonObject plan = await(fx.engine().plan(spec)).getJsonObject("plan");
    assertThat(plan.getBoolean("zeroCopy")).isTrue();
    assertThat(plan.getJsonArray("elements").getJsonObject(1).getString("type")).isEqualTo("channel-to-channel");
    assertThat(plan.getJsonArray("links").getJsonObject(0).getString("mechanism")).isEqualTo("CHANNEL");

    JsonObject status = fx.run(spec);
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getLong("bytes")).isEqualTo(LENGTH);
    assertThat(Files.readAllBytes(fx.path(out))).isEqualTo(data);
    try (var dir = Files.list(fx.root())) {
      assertThat(dir.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
    }
    assertThat(Leaks.fdsUnder(fx.root())).as("files still open once the transfer ended").isEmpty();
  }

  @Test
  void offset_and_length_select_a_range() throws Exception {
    String out = unique("range");
    JsonObject status = fx.run(new JsonObject().put("source", file("data/in.bin").put("offset", 1000).put("length", 70001))
      .put("sink", file("data/" + out)));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(fx.path(out))).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 71001));
  }

  @Test
  void the_stream_paths_of_both_elements_copy_every_byte_too() throws Exception {
    String out = unique("stream");
    JsonObject spec = new JsonObject().put("source", file("data/in.bin"))
      .put("filters", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "checksum")))
      .put("sink", file("data/" + out));
    JsonObject plan = await(fx.engine().plan(spec)).getJsonObject("plan");
    assertThat(plan.getJsonArray("links").getJsonObject(0).getString("mechanism")).isEqualTo("PUSH");
    JsonObject status = fx.run(spec);
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(fx.path(out))).isEqualTo(data);
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(data));
  }

  @Test
  void the_checksum_option_on_file_to_file_puts_the_sha256_in_the_status() throws Exception {
    JsonObject status = fx.run(new JsonObject().put("source", file("data/in.bin"))
      .put("sink", file("data/" + unique("summed"))).put("options", new JsonObject().put("checksum", "sha256")));
    assertThat(status.getString("state")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("algorithm")).isEqualTo("sha256");
    assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(sha256(data));
  }

  @Test
  void overwrite_replaces_and_append_appends() throws Exception {
    String out = unique("twice");
    Files.write(fx.path(out), "old".getBytes());
    assertThat(failureCode(fx.submit(new JsonObject().put("source", file("data/in.bin")).put("sink", file("data/" + out)))))
      .as("exists and overwrite is false").isEqualTo(409);
    assertThat(fx.run(new JsonObject().put("source", file("data/in.bin"))
      .put("sink", file("data/" + out).put("overwrite", true))).getString("state")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(fx.path(out))).isEqualTo(data);

    String log = unique("log");
    Files.write(fx.path(log), "head:".getBytes());
    assertThat(fx.run(new JsonObject().put("source", "pattern:?pattern=ab&length=5")
      .put("sink", file("data/" + log).put("append", true))).getString("state")).isEqualTo("DONE");
    assertThat(Files.readString(fx.path(log))).isEqualTo("head:ababa");
  }

  @Test
  void a_directory_tree_of_500_files_on_3_levels_is_copied_exactly() throws Exception {
    Path src = Files.createDirectories(fx.path(unique("tree-src")));
    List<String> files = new ArrayList<>();
    java.util.Random r = new java.util.Random(5);
    for (int i = 0; i < 500; i++) {
      String rel = "l1-" + (i % 5) + "/l2-" + (i % 7) + "/l3-" + (i % 3) + "/f" + i + ".bin";
      Path p = src.resolve(rel);
      Files.createDirectories(p.getParent());
      // small files are written several at once, larger ones by the unpacking thread: both, and the edge
      int size = i % 50 == 0 ? 0 : i % 97 == 1 ? SmallFileWrites.MAX_SIZE : i % 97 == 2 ? SmallFileWrites.MAX_SIZE + 1
        : i % 97 == 3 ? 300_000 : r.nextInt(20_000);
      byte[] b = new byte[size];
      r.nextBytes(b);
      Files.write(p, b);
      Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L + i * 1000L));
      files.add(rel);
    }
    Files.createDirectories(src.resolve("empty/dir"));
    String dst = unique("tree-dst");
    JsonObject status = fx.run(new JsonObject()
      .put("source", file("data/" + src.getFileName()).put("recursive", true))
      .put("sink", file("data/" + dst)));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    for (String rel : files) {
      Path a = src.resolve(rel);
      Path b = fx.path(dst).resolve(rel);
      assertThat(Files.readAllBytes(b)).as(rel).isEqualTo(Files.readAllBytes(a));
      assertThat(Files.getLastModifiedTime(b).toMillis() / 1000).as("mtime of %s", rel)
        .isEqualTo(Files.getLastModifiedTime(a).toMillis() / 1000);
    }
    try (var walk = Files.walk(fx.path(dst))) {
      assertThat(walk.filter(Files::isRegularFile).count()).isEqualTo(500);
    }
    assertThat(fx.path(dst).resolve("empty/dir")).isDirectory();
  }

  @Test
  void bad_paths_and_options_are_refused_with_the_code_and_the_field() throws Exception {
    Path outside = Files.createTempDirectory("outside");
    Files.writeString(outside.resolve("secret"), "x");
    Files.createSymbolicLink(fx.path("escape"), outside);
    Object[][] cases = {
      {new JsonObject().put("type", "file"), 400, "source.path: is required"},
      {file("data/../etc/passwd"), 403, "source.path: \"..\" is not allowed"},
      {file("/etc/passwd"), 403, "source.path: absolute paths are not allowed"},
      {file("data/escape/secret"), 403, "source.path: data/escape/secret resolves outside its root"},
      {file("nope/x"), 403, "source.path: \"nope\" is not a root of this node"},
      {file("data/missing.bin"), 404, "source.path: no such file or directory"},
      {file("data/in.bin").put("offset", -1), 400, "source.offset: must be an integer from 0"},
      {file("data/in.bin").put("speed", 1), 400, "source.speed: unknown key"},
      {file("data/in.bin").put("offset", LENGTH + 1), 400, "source.offset: is beyond the end"},
    };
    for (Object[] c : cases) {
      JsonObject spec = new JsonObject().put("source", c[0]).put("sink", new JsonObject().put("type", "null"));
      assertThatThrownBy(() -> await(fx.submit(spec))).as("%s", c[0])
        .satisfies(t -> assertThat(io.xfernode.api.XferException.from(t).code()).as("code for %s", c[0]).isEqualTo(c[1]))
        .hasMessageStartingWith((String) c[2]);
    }
    for (JsonObject sink : List.of(file("data/o").put("resume", true).put("append", true),
      file("data/o").put("resume", true).put("tree", true))) {
      assertThatThrownBy(() -> await(fx.submit(new JsonObject().put("source", file("data/in.bin")).put("sink", sink))))
        .as("%s", sink).hasMessageStartingWith("sink.resume: cannot be combined with");
    }
    assertThatThrownBy(() -> await(fx.submit(new JsonObject().put("source", file("data/in.bin"))
      .put("sink", file("data/escape/stolen")))))
      .satisfies(t -> assertThat(io.xfernode.api.XferException.from(t).code()).isEqualTo(403));
    assertThat(outside.resolve("stolen")).doesNotExist();
  }

  @Test
  void a_transfer_refused_at_setup_leaves_no_temporary_file_even_when_its_sink_sets_up_late() throws Exception {
    // the source fails at once; the sink's host may still be deploying when the controller cancels
    String dir = unique("refused");
    Files.createDirectories(fx.path(dir));
    for (int i = 0; i < 60; i++) {
      JsonObject status = fx.run(new JsonObject().put("source", file("data/missing-" + i))
        .put("sink", file("data/" + dir + "/out-" + i)));
      assertThat(status.getString("state")).isEqualTo("FAILED");
      try (var files = Files.list(fx.path(dir))) {
        assertThat(files.map(p -> p.getFileName().toString())).as("after refused transfer %d", i).isEmpty();
      }
    }
  }

  /** Launches a slow file copy (rateLimit) and returns once bytes are moving. */
  private EngineFixture.Launched slowCopy(String id, String src, String dst) throws Exception {
    CompletableFuture<Void> moving = new CompletableFuture<>();
    var events = fx.vertx().eventBus().<JsonObject>consumer(Addresses.events(id), m -> {
      if ("progress".equals(m.body().getString("type"))) {
        moving.complete(null);
      }
    });
    await(events.completion());
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id).put("source", file(src))
      .put("sink", file(dst)).put("options", new JsonObject().put("rateLimit", 1 << 20)));
    moving.get(20, TimeUnit.SECONDS);
    await(events.unregister());
    return t;
  }

  @Test
  void cancel_mid_copy_leaves_nothing_at_the_destination_and_leaks_nothing() throws Exception {
    slowCopy("warm-" + UUID.randomUUID(), "data/in.bin", "data/" + unique("warm"));
    String warm = await(fx.engine().list(new JsonObject().put("state", "RUNNING"))).getJsonArray("transfers")
      .getJsonObject(0).getString("id");
    await(fx.engine().cancel(new JsonObject().put("id", warm)));
    long fds = Leaks.openFds();
    List<String> threads = Leaks.liveThreads();

    String id = unique("cancel");
    String out = unique("cancelled");
    EngineFixture.Launched t = slowCopy(id, "data/in.bin", "data/" + out);
    long start = System.nanoTime();
    JsonObject status = await(fx.engine().cancel(new JsonObject().put("id", id)));
    assertThat((System.nanoTime() - start) / 1_000_000).as("ms to cancel").isLessThan(2000);
    assertThat(status.getString("state")).isEqualTo("CANCELLED");
    assertThat(t.awaitFinal().getString("state")).isEqualTo("CANCELLED");
    assertThat(fx.path(out)).doesNotExist();
    try (var dir = Files.list(fx.root())) {
      assertThat(dir.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(id));
    }
    assertThat(Leaks.elementThreads()).isEmpty();
    assertThat(fx.engine().streamThreads().busy()).as("stream threads still busy").isZero();
    assertThat(fx.engine().streamThreads().reserved()).as("stream threads still reserved").isZero();
    assertThat(Leaks.liveThreads().size()).as("threads %s, before %s", Leaks.liveThreads(), threads)
      .isLessThanOrEqualTo(threads.size());
    assertThat(Leaks.openFds()).isLessThanOrEqualTo(fds);
    assertThat(Leaks.fdsUnder(fx.root())).as("files still open once the transfer ended").isEmpty();
  }

  @Test
  void a_source_file_removed_mid_read_fails_the_transfer_and_leaves_nothing() throws Exception {
    String src = unique("doomed");
    Files.write(fx.path(src), data);
    String out = unique("never");
    EngineFixture.Launched t = slowCopy(unique("removed"), "data/" + src, "data/" + out);
    Files.delete(fx.path(src));
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).as("a source that changed is a conflict").isEqualTo(409);
    assertThat(status.getJsonObject("error").getString("element")).isEqualTo("source");
    assertThat(status.getJsonObject("error").getString("message")).contains("changed while it was read: it was removed");
    assertThat(fx.path(out)).doesNotExist();
  }

  @Test
  void a_sink_whose_directory_is_removed_mid_transfer_fails_naming_the_sink() throws Exception {
    String dir = unique("vanishing");
    Files.createDirectories(fx.path(dir));
    EngineFixture.Launched t = slowCopy(unique("sinkfail"), "data/in.bin", "data/" + dir + "/out.bin");
    try (var walk = Files.walk(fx.path(dir))) {
      for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getString("element")).isEqualTo("sink");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(404);
    assertThat(fx.path(dir)).doesNotExist();
  }
}
