package io.xfernode.node.control;

import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.file.PartJournal;
import io.xfernode.node.TestCluster;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.LogWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resume (SPEC 5) between two real nodes: a transfer whose pool connections break midway carries on over
 * new ones, resending only what was in flight; one whose sink node stops midway is resubmitted with the
 * same id once the node is back and sends only what the partial file's restart markers lack. The bytes
 * sent are counted by the sending end of the hop. The transfers are paced ({@code options.rateLimit}) so
 * that "midway" is where the progress events say, not a matter of timing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class ResumeTest {

  private static final int LENGTH = 40 * 1024 * 1024 + 7;
  private static final long RATE = 24L * 1024 * 1024;
  /** Slow enough that stopping a node at 60 % lands well before the end, even on a loaded machine. */
  private static final long SLOW = 12L * 1024 * 1024;

  private TestCluster cluster;
  private byte[] data;
  private volatile CompletableFuture<Void> midwayDone;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("resume", 2);
    data = RandomBytes.bytes(77, LENGTH);
    Files.write(cluster.root(0).resolve("big.bin"), data);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static JsonObject spec(String id, String out, int streams, long rate) {
    JsonObject options = new JsonObject().put("streams", streams).put("resume", true).put("checksum", "sha256");
    if (rate > 0) {
      options.put("rateLimit", rate);
    }
    return new JsonObject().put("id", id)
      .put("source", "file://n0/data/big.bin")
      .put("sink", "file://n1/data/" + out)
      .put("options", options);
  }

  /**
   * Submits on n0, runs {@code midway} once, the first time the transfer's progress reaches {@code share}
   * of its bytes, and waits for the final state.
   */
  private JsonObject run(JsonObject spec, double share, Runnable midway) throws Exception {
    String id = spec.getString("id");
    CompletableFuture<Void> ended = new CompletableFuture<>();
    boolean[] done = {midway == null};
    MessageConsumer<JsonObject> events = cluster.node(0).vertx().eventBus().consumer(Addresses.events(id), m -> {
      JsonObject e = m.body();
      if (!done[0] && "progress".equals(e.getString("type")) && e.getLong("bytes", 0L) >= share * LENGTH) {
        done[0] = true;
        // off the event loop: stopping a node waits for it
        midwayDone = CompletableFuture.runAsync(midway);
      }
      if ("state".equals(e.getString("type")) && List.of("DONE", "FAILED", "CANCELLED").contains(e.getString("state"))) {
        ended.complete(null);
      }
    });
    await(events.completion());
    try {
      await(cluster.node(0).vertx().eventBus().request(Addresses.SUBMIT, spec));
      ended.get(90, TimeUnit.SECONDS);
    } finally {
      await(events.unregister());
    }
    assertThat(done[0]).as("the transfer got past %s of its bytes", share).isTrue();
    if (midway != null) {
      midwayDone.get(60, TimeUnit.SECONDS);
    }
    return (JsonObject) await(cluster.node(0).vertx().eventBus().request(Addresses.STATUS,
      new JsonObject().put("id", id))).body();
  }

  /** What the sending end of the hop reported: {@code sent} and {@code skipped} bytes. */
  private static JsonObject sendingEnd(JsonObject status) {
    JsonObject results = status.getJsonObject("results", new JsonObject());
    return results.fieldNames().stream().map(results::getJsonObject)
      .filter(r -> "out".equals(r.getString("side"))).findFirst()
      .orElseThrow(() -> new AssertionError("no sending end in " + results));
  }

  @ParameterizedTest(name = "{0} stream(s)")
  @ValueSource(ints = {1, 4})
  void broken_connections_are_replaced_and_only_what_was_in_flight_goes_again(int streams) throws Exception {
    String id = "break-" + streams + "-" + UUID.randomUUID();
    String out = "broken-" + streams + ".bin";
    JsonObject status = run(spec(id, out, streams, RATE), 0.3,
      () -> cluster.node(0).pools().breakConnections("default", "n1"));

    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(cluster.root(1).resolve(out))).isEqualTo(data);
    long sent = sendingEnd(status).getLong("sent");
    assertThat(sent).as("bytes sent for %s", LENGTH).isGreaterThanOrEqualTo(LENGTH).isLessThan(LENGTH + LENGTH / 4);
    // what went twice counts once: the source's bytes are its file's (seen as a 409 before the fix, when a
    // break came while pieces were in flight)
    assertThat(status.getLong("bytes")).as("the source's bytes").isEqualTo(LENGTH);
    assertNothingLeftBehind();
  }

  @ParameterizedTest(name = "{0} stream(s)")
  @ValueSource(ints = {1, 4})
  void a_transfer_resubmitted_after_its_sink_node_restarted_sends_only_what_is_missing(int streams) throws Exception {
    String id = "restart-" + streams + "-" + UUID.randomUUID();
    String out = "restarted-" + streams + ".bin";
    JsonObject first = run(spec(id, out, streams, SLOW), 0.6, stopping(1));
    assertThat(first.getString("state")).isEqualTo("FAILED");
    assertThat(first.getJsonObject("error").getInteger("code")).isEqualTo(503);

    Path part = cluster.root(1).resolve("." + out + "." + id + ".part");
    Path markers = cluster.root(1).resolve("." + out + "." + id + ".part.markers");
    cluster.restart(1);
    assertThat(part).as("the partial file survives the restart").exists();
    JsonObject kept = new JsonObject(Files.readString(markers));
    long held = heldBytes(kept.getJsonArray("ranges"));
    assertThat(held).as("bytes the markers say are on disk").isGreaterThanOrEqualTo(LENGTH / 2 - SLOW / 2);
    assertThat(cluster.root(1).resolve(out)).as("nothing at the destination before it is whole").doesNotExist();

    JsonObject second = run(spec(id, out, streams, 0), 0, null);

    assertThat(second.getString("state")).as("%s", second.getJsonObject("error")).isEqualTo("DONE");
    assertThat(Files.readAllBytes(cluster.root(1).resolve(out))).isEqualTo(data);
    JsonObject end = sendingEnd(second);
    assertThat(end.getLong("sent")).as("bytes sent again of %s", LENGTH).isLessThan((long) (LENGTH * 0.6))
      .isEqualTo(LENGTH - end.getLong("skipped"));
    assertThat(second.getLong("bytes")).as("status bytes count what the source holds").isEqualTo(LENGTH);
    assertNothingLeftBehind();
  }

  @Test
  void at_start_a_node_removes_the_partial_files_of_transfers_that_cannot_resume() throws Exception {
    // what a node that died mid-transfer leaves behind: one partial file that can resume, one that cannot
    Path parts = cluster.stateDir(1).resolve("n1").resolve("parts");
    Path lost = cluster.root(1).resolve(".lost.bin.t1.part");
    Path kept = cluster.root(1).resolve(".kept.bin.t2.part");
    Files.write(lost, new byte[1000]);
    Files.write(kept, new byte[1000]);
    PartJournal journal = new PartJournal(parts);
    journal.add(lost, null, "t1", false);
    journal.add(kept, kept.resolveSibling(kept.getFileName() + ".markers"), "t2", true);
    cluster.stop(1);

    try (LogWatch log = LogWatch.watch()) {
      cluster.restart(1);
      assertThat(log.messages()).anyMatch(m -> m.contains("removed the partial file " + lost)
        && m.contains("transfer t1"));
    }
    assertThat(lost).doesNotExist();
    assertThat(kept).exists();
    Files.delete(kept);
  }

  private Runnable stopping(int node) {
    return () -> {
      try {
        cluster.stop(node);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }

  private static long heldBytes(JsonArray ranges) {
    long n = 0;
    for (int i = 0; i < ranges.size(); i++) {
      n += ranges.getJsonArray(i).getLong(1) - ranges.getJsonArray(i).getLong(0);
    }
    return n;
  }

  /** No partial file and no markers remain in n1's root, and n1's journal lists none. */
  private void assertNothingLeftBehind() throws Exception {
    try (Stream<Path> files = Files.list(cluster.root(1))) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part")
        || n.endsWith(".markers"));
    }
    try (Stream<Path> entries = Files.list(cluster.stateDir(1).resolve("n1").resolve("parts"))) {
      assertThat(entries).isEmpty();
    }
  }
}
