package io.xfernode.node.http;

import io.vertx.core.json.JsonObject;
import io.xfernode.node.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/transfers/{id}/events} on a node that does not control the transfer: the stream ends
 * with {@code done} whatever the outcome, and {@code Last-Event-ID} resumes it from the controller's history.
 * {@code GET /api/events}: every transfer's state changes, live, on any node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(90)
class EventStreamTest {

  private TestCluster cluster;
  private HttpClient http;

  @BeforeAll
  void start() throws Exception {
    cluster = TestCluster.start("sse", 2);
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One server-sent event: its {@code id:} line (null if none), its type and its data. */
  record Sse(Long id, String event, JsonObject data) {
  }

  private HttpRequest eventsRequest(int node, String id, Long lastEventId) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).httpPort()
      + "/api/transfers/" + id + "/events")).timeout(Duration.ofSeconds(60));
    if (lastEventId != null) {
      b.header("Last-Event-ID", String.valueOf(lastEventId));
    }
    return b.GET().build();
  }

  /** Reads the stream to its end; returns its events. */
  private List<Sse> readAll(int node, String id, Long lastEventId) throws Exception {
    HttpResponse<Stream<String>> r = http.send(eventsRequest(node, id, lastEventId), HttpResponse.BodyHandlers.ofLines());
    assertThat(r.statusCode()).isEqualTo(200);
    try (Stream<String> lines = r.body()) {
      return parse(lines.iterator(), Integer.MAX_VALUE);
    }
  }

  /** Parses up to {@code max} events from {@code lines}. */
  private static List<Sse> parse(Iterator<String> lines, int max) {
    List<Sse> events = new ArrayList<>();
    Long seq = null;
    String type = null;
    JsonObject data = null;
    while (events.size() < max && lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("id: ")) {
        seq = Long.parseLong(line.substring(4));
      } else if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = new JsonObject(line.substring(6));
      } else if (line.isEmpty() && type != null) {
        events.add(new Sse(seq, type, data));
        seq = null;
        type = null;
        data = null;
      }
    }
    return events;
  }

  private JsonObject submitOnN0(JsonObject spec) throws Exception {
    return (JsonObject) await(cluster.node(0).vertx().eventBus().request(io.xfernode.api.Addresses.SUBMIT, spec))
      .body();
  }

  private static void assertNumberedFrom(long first, List<Sse> events) {
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).id()).as("id of event %d of %s", i, events).isEqualTo(first + i);
      assertThat(events.get(i).data().getLong("seq")).isEqualTo(first + i);
    }
  }

  @Test
  void a_done_transfer_streams_from_seq_1_to_done_and_the_stream_ends() throws Exception {
    String id = "sse-done-" + UUID.randomUUID();
    cluster.run(0, new JsonObject().put("id", id).put("source", "random:?seed=3&length=300000")
      .put("sink", "digest:"));
    List<Sse> events = readAll(1, id, null);
    assertNumberedFrom(1, events);
    assertThat(events).extracting(Sse::event).startsWith("state").endsWith("state", "done");
    Sse done = events.get(events.size() - 1);
    assertThat(done.data().getString("state")).isEqualTo("DONE");
    assertThat(done.data().getLong("bytes")).isEqualTo(300_000);
    assertThat(done.data().getJsonObject("checksum")).isNotNull();
  }

  @Test
  void a_failed_transfer_streams_its_error_its_final_state_and_done_last() throws Exception {
    String id = "sse-failed-" + UUID.randomUUID();
    cluster.run(0, new JsonObject().put("id", id).put("source", "random:?length=1000").put("sink", "digest:")
      .put("options", new JsonObject().put("checksum", new JsonObject().put("algorithm", "md5")
        .put("expected", "00000000000000000000000000000000"))));
    List<Sse> events = readAll(1, id, null);
    assertNumberedFrom(1, events);
    assertThat(events).extracting(Sse::event).endsWith("error", "state", "done");
    assertThat(events.get(events.size() - 1).data().getString("state")).isEqualTo("FAILED");
    assertThat(events.get(events.size() - 1).data().getJsonObject("error").getInteger("code")).isEqualTo(422);
  }

  @Test
  void a_client_following_a_cancelled_transfer_gets_done_and_the_stream_ends() throws Exception {
    String id = "sse-cancel-" + UUID.randomUUID();
    submitOnN0(new JsonObject().put("id", id).put("source", "random:?length=1099511627776").put("sink", "null:"));
    HttpResponse<Stream<String>> r = http.send(eventsRequest(1, id, null), HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = r.body()) {
      Iterator<String> it = lines.iterator();
      List<Sse> events = new ArrayList<>(parse(it, 2));
      assertThat(events).extracting(Sse::event).containsExactly("state", "state");
      await(cluster.node(1).vertx().eventBus().request(io.xfernode.api.Addresses.CANCEL,
        new JsonObject().put("id", id)));
      events.addAll(parse(it, Integer.MAX_VALUE));
      assertThat(it.hasNext()).as("the stream ended").isFalse();
      assertNumberedFrom(1, events);
      assertThat(events).extracting(Sse::event).endsWith("state", "done");
      assertThat(events.get(events.size() - 1).data().getString("state")).isEqualTo("CANCELLED");
    }
  }

  @Test
  void a_client_that_reconnects_with_last_event_id_gets_the_events_it_missed() throws Exception {
    String id = "sse-resume-" + UUID.randomUUID();
    // about 2 s at this rate: several progress events
    submitOnN0(new JsonObject().put("id", id).put("source", "random:?seed=5&length=6000000")
      .put("filters", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "throttle")
        .put("rate", 3_000_000)))
      .put("sink", "digest:"));
    List<Sse> first;
    HttpResponse<Stream<String>> r = http.send(eventsRequest(1, id, null), HttpResponse.BodyHandlers.ofLines());
    try (Stream<String> lines = r.body()) {
      first = parse(lines.iterator(), 3);
    }
    assertNumberedFrom(1, first);
    long lastSeen = first.get(first.size() - 1).id();
    List<Sse> rest = readAll(1, id, lastSeen);
    assertNumberedFrom(lastSeen + 1, rest);
    assertThat(rest.get(rest.size() - 1).event()).isEqualTo("done");
    assertThat(rest).extracting(Sse::event).contains("progress");

    // once it has ended, from any node: the same events again, as far as the history holds them
    List<Sse> again = readAll(0, id, 2L);
    assertThat(again).isEqualTo(readAll(1, id, null).subList(2, 2 + again.size()));
    assertThat(again.get(again.size() - 1).event()).isEqualTo("done");
  }

  @Test
  void a_last_event_id_that_is_no_seq_is_refused_with_400() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + cluster.node(1).httpPort() + "/api/transfers/x/events")).header("Last-Event-ID", "abc").GET().build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("message")).startsWith("Last-Event-ID: ");
  }

  @Test
  void an_unknown_transfer_is_404() throws Exception {
    HttpResponse<String> r = http.send(eventsRequest(1, "nope-" + UUID.randomUUID(), null),
      HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
  }

  /**
   * {@code GET /api/events} on one node, read on a thread of its own into a queue, so that the test waits for
   * what it expects with a deadline. Its first line (the comment that the node's consumer is registered) has
   * been read when it is returned.
   */
  private final class ClusterStream implements AutoCloseable {

    private final Stream<String> lines;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final java.util.concurrent.CompletableFuture<String> firstLine = new java.util.concurrent.CompletableFuture<>();
    final HttpResponse<Stream<String>> response;
    final String first;

    ClusterStream(int node) throws Exception {
      response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).httpPort()
        + "/api/events")).timeout(Duration.ofSeconds(30))
        // as a browser asks: the events must still come as they are, not held in a compressor
        .header("Accept-Encoding", "gzip, deflate").GET().build(), HttpResponse.BodyHandlers.ofLines());
      lines = response.body();
      Thread reader = new Thread(this::read, "sse-reader");
      reader.setDaemon(true);
      reader.start();
      try {
        first = firstLine.get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        lines.close();
        throw new AssertionError("no line from /api/events within 30 s");
      }
    }

    private void read() {
      try {
        Iterator<String> it = lines.iterator();
        firstLine.complete(it.hasNext() ? it.next() : null);
        List<String> raw = new ArrayList<>();
        while (it.hasNext()) {
          String line = it.next();
          raw.add(line);
          if (line.isEmpty()) {
            events.addAll(parse(raw.iterator(), Integer.MAX_VALUE));
            if (raw.stream().anyMatch(l -> l.startsWith("id:"))) {
              events.add(new AssertionError("an id: line in " + raw));
            }
            raw.clear();
          }
        }
      } catch (RuntimeException e) {
        // closed by the test
        firstLine.completeExceptionally(e);
      }
    }

    /** @return the first event that is {@code wanted}, among those not yet taken; fails after {@code seconds} */
    Sse next(Predicate<Sse> wanted, int seconds) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (true) {
        Object o = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (o == null) {
          throw new AssertionError("no such event within " + seconds + " s");
        }
        if (o instanceof AssertionError e) {
          throw e;
        }
        if (wanted.test((Sse) o)) {
          return (Sse) o;
        }
      }
    }

    @Override
    public void close() {
      lines.close();
    }
  }

  private static Predicate<Sse> of(String id) {
    return e -> id.equals(e.data().getString("id"));
  }

  @Test
  void the_cluster_stream_carries_every_transfers_state_changes_as_they_happen() throws Exception {
    try (ClusterStream n0 = new ClusterStream(0)) {
      assertThat(n0.response.statusCode()).isEqualTo(200);
      assertThat(n0.response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(n0.response.headers().firstValue("Content-Encoding").orElse("identity")).isEqualTo("identity");
      assertThat(n0.first).isEqualTo(": following xfer.events");
      String id = "sse-all-" + UUID.randomUUID();
      // started after the stream was opened: its first state change comes live, and so does its end
      submitOnN0(new JsonObject().put("id", id).put("source", "random:?seed=4&length=2000000")
        .put("filters", new io.vertx.core.json.JsonArray().add(new JsonObject().put("type", "throttle")
          .put("rate", 4_000_000)))
        .put("sink", "digest:"));
      List<Sse> seen = new ArrayList<>();
      seen.add(n0.next(of(id), 30));
      while (!"done".equals(seen.get(seen.size() - 1).event())) {
        seen.add(n0.next(of(id), 30));
      }
      assertThat(seen).extracting(Sse::event).as("no progress on xfer.events").doesNotContain("progress")
        .startsWith("state").endsWith("state", "done");
      assertThat(seen).extracting(e -> e.data().getString("type")).isEqualTo(seen.stream().map(Sse::event).toList());
      assertThat(seen).extracting(e -> e.data().getString("state")).contains("RUNNING").endsWith("DONE", "DONE");
      assertThat(seen.get(0).data().getLong("seq")).as("the first state change, live").isEqualTo(1);
    }
  }

  @Test
  void the_cluster_stream_on_another_node_carries_transfers_this_node_does_not_control() throws Exception {
    try (ClusterStream n1 = new ClusterStream(1)) {
      assertThat(n1.first).isEqualTo(": following xfer.events");
      // the other node learns of the new consumer asynchronously: poll with new transfers until one is heard
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      Sse done = null;
      while (done == null && System.nanoTime() < deadline) {
        String id = "sse-other-" + UUID.randomUUID();
        cluster.run(0, new JsonObject().put("id", id).put("source", "random:?length=1000").put("sink", "null:"));
        try {
          done = n1.next(of(id).and(e -> e.event().equals("done")), 5);
        } catch (AssertionError notYet) {
          // try another
        }
      }
      assertThat(done).as("a done event from n0 on n1's stream").isNotNull();
      assertThat(done.data().getString("state")).isEqualTo("DONE");
    }
  }
}
