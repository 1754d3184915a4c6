package io.xfernode.file;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC 5: no transfer is DONE with fewer bytes than its known total, or when its source changed while it
 * was read (409, naming the source's path), and with verify a file sink reads back what it wrote before
 * the rename (422 on a mismatch, and nothing at the destination).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class SourceIntegrityTest {

  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  private static JsonObject file(String path) {
    return new JsonObject().put("type", "file").put("path", path);
  }

  /** Launches {@code spec} (with an id) and returns once its first progress event went out. */
  private EngineFixture.Launched moving(JsonObject spec) throws Exception {
    CompletableFuture<Void> moving = new CompletableFuture<>();
    var events = fx.vertx().eventBus().<JsonObject>consumer(Addresses.events(spec.getString("id")), m -> {
      if ("progress".equals(m.body().getString("type"))) {
        moving.complete(null);
      }
    });
    await(events.completion());
    EngineFixture.Launched t = fx.launch(spec);
    moving.get(20, TimeUnit.SECONDS);
    await(events.unregister());
    return t;
  }

  /** Waits, on the directory's change events, until {@code file} holds at least {@code bytes}. */
  private static void awaitSize(Path file, long bytes) throws Exception {
    try (java.nio.file.WatchService watch = file.getFileSystem().newWatchService()) {
      file.getParent().register(watch, java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY,
        java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Files.exists(file) || Files.size(file) < bytes) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("%s holds %s bytes", file, bytes).isPositive();
        java.nio.file.WatchKey key = watch.poll(left, TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  @Test
  void a_file_that_shrinks_while_it_is_read_fails_with_409_naming_its_path() throws Exception {
    String id = "shrink-" + UUID.randomUUID();
    Files.write(fx.path(id + ".in"), RandomBytes.bytes(1, 20 << 20));
    EngineFixture.Launched t = moving(new JsonObject().put("id", id).put("source", file("data/" + id + ".in"))
      .put("sink", file("data/" + id + ".out")).put("options", new JsonObject().put("rateLimit", 4 << 20)));
    try (FileChannel f = FileChannel.open(fx.path(id + ".in"), StandardOpenOption.WRITE)) {
      f.truncate(5 << 20);
    }
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    JsonObject error = status.getJsonObject("error");
    assertThat(error.getInteger("code")).as("%s", error).isEqualTo(409);
    assertThat(error.getString("message")).startsWith("source.path: data/" + id + ".in changed while it was read");
    assertThat(status.getLong("bytes")).as("bytes").isLessThan(status.getLong("total"));
    assertThat(fx.path(id + ".out")).doesNotExist();
  }

  @Test
  void a_file_truncated_before_it_is_read_fails_with_409_and_never_ends_done() throws Exception {
    // the transfer waits for a reader on its tcp sink; the file is cut meanwhile
    String id = "cut-" + UUID.randomUUID();
    Files.write(fx.path(id + ".in"), RandomBytes.bytes(2, 12 << 20));
    EngineFixture.Launched t = fx.launch(new JsonObject().put("id", id).put("source", file("data/" + id + ".in"))
      .put("sink", new JsonObject().put("type", "tcp").put("mode", "listen").put("host", "127.0.0.1").put("port", 0)));
    JsonObject listen = t.reply().getJsonObject("endpoints").getJsonObject("sink").getJsonObject("listen");
    try (FileChannel f = FileChannel.open(fx.path(id + ".in"), StandardOpenOption.WRITE)) {
      f.truncate(1 << 20);
    }
    try (Socket reader = new Socket(listen.getString("host"), listen.getInteger("port"))) {
      InputStream in = reader.getInputStream();
      byte[] buf = new byte[1 << 16];
      try {
        while (in.read(buf) >= 0) {
          // drain until the sink ends or resets
        }
      } catch (java.io.IOException reset) {
        // a failed transfer resets its connection
      }
    }
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(409);
    assertThat(status.getJsonObject("error").getString("element")).isEqualTo("source");
  }

  @Test
  void a_file_of_a_tree_that_changes_while_the_tree_is_read_fails_with_409_naming_it() throws Exception {
    String id = "tree-" + UUID.randomUUID();
    Path dir = Files.createDirectories(fx.path(id));
    for (int i = 0; i < 6; i++) {
      Files.write(dir.resolve("f" + i + ".bin"), RandomBytes.bytes(i, 1 << 20));
    }
    EngineFixture.Launched t = moving(new JsonObject().put("id", id)
      .put("source", file("data/" + id).put("recursive", true))
      .put("sink", file("data/" + id + "-copy")).put("options", new JsonObject().put("rateLimit", 1 << 20)));
    Files.write(dir.resolve("f5.bin"), new byte[]{1, 2, 3});
    JsonObject status = t.awaitFinal();
    assertThat(status.getString("state")).isEqualTo("FAILED");
    assertThat(status.getJsonObject("error").getInteger("code")).isEqualTo(409);
    assertThat(status.getJsonObject("error").getString("message"))
      .contains("the tree's file f5.bin changed while it was read");
    assertThat(fx.path(id + "-copy")).doesNotExist();
  }

  @Test
  void with_verify_a_partial_file_changed_under_the_sink_fails_with_422_and_leaves_nothing() throws Exception {
    for (boolean verify : new boolean[]{false, true}) {
      String id = "verify-" + verify + "-" + UUID.randomUUID();
      // about 4 s at the rate: time to write into the partial file before it is complete and renamed
      byte[] data = RandomBytes.bytes(3, 8 << 20);
      Files.write(fx.path(id + ".in"), data);
      EngineFixture.Launched t = moving(new JsonObject().put("id", id).put("source", file("data/" + id + ".in"))
        .put("sink", file("data/" + id + ".out"))
        .put("options", new JsonObject().put("rateLimit", 2 << 20).put("checksum", "sha256").put("verify", verify)));
      // someone writes into the partial file while the transfer runs, over bytes the sink wrote already
      Path part = fx.path("." + id + ".out." + id + ".part");
      awaitSize(part, 64 * 1024);
      try (FileChannel f = FileChannel.open(part, StandardOpenOption.WRITE)) {
        f.write(ByteBuffer.wrap(new byte[4096]), 0);
      }
      JsonObject status = t.awaitFinal();
      if (!verify) {
        // the stream's checksum was right: without verify, nobody looks at what landed
        assertThat(status.getString("state")).isEqualTo("DONE");
        assertThat(status.getJsonObject("checksum").getString("verified")).isEqualTo("stream");
        continue;
      }
      assertThat(status.getString("state")).isEqualTo("FAILED");
      assertThat(status.getJsonObject("error").getInteger("code")).as("%s", status.getJsonObject("error")).isEqualTo(422);
      assertThat(status.getJsonObject("error").getString("message")).contains("options.verify");
      assertThat(fx.path(id + ".out")).doesNotExist();
      assertThat(part).doesNotExist();
    }
  }

  @Test
  void with_verify_a_file_that_landed_whole_is_done_and_says_it_was_read_back() throws Exception {
    String id = "verified-" + UUID.randomUUID();
    byte[] data = RandomBytes.bytes(4, 3 << 20);
    Files.write(fx.path(id + ".in"), data);
    JsonObject status = fx.run(new JsonObject().put("id", id).put("source", file("data/" + id + ".in"))
      .put("sink", file("data/" + id + ".out")).put("options", new JsonObject().put("verify", true)));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(status.getJsonObject("checksum").getString("algorithm")).as("verify implies a checksum")
      .isEqualTo("sha256");
    assertThat(status.getJsonObject("checksum").getString("verified")).isEqualTo("disk");
    assertThat(Files.readAllBytes(fx.path(id + ".out"))).isEqualTo(data);
  }

  @Test
  void verify_with_a_sink_that_is_not_a_file_is_refused_naming_the_option() {
    assertThatThrownBy(() -> EngineFixture.await(fx.submit(new JsonObject().put("source", "random:?length=10")
      .put("sink", "null:").put("options", new JsonObject().put("verify", true)))))
      .satisfies(t -> assertThat(io.xfernode.api.XferException.from(t).code()).isEqualTo(400))
      .hasMessageStartingWith("options.verify: only a file sink is read back, and the sink is a null");
  }
}
