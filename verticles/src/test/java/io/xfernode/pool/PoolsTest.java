package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.test.TestVertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static io.xfernode.pool.PoolKit.await;
import static io.xfernode.pool.PoolKit.data;
import static io.xfernode.pool.PoolKit.link;
import static io.xfernode.pool.PoolKit.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes' pools in one JVM, over real TCP on loopback: files sent as regions and written by offset,
 * buffers put back in order, streams on several event loops, flow control, refusals, aborts, broken
 * connections (failed, or retried with resume), idle connections, and the data port as a parent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolsTest {

  private Vertx vertx;
  private PoolKit kit;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    kit = new PoolKit(vertx, null, "a", "b");
    for (Pools p : List.of(kit.node("a"), kit.node("b"))) {
      await(p.define(new PoolDef("default", 0, 4, Duration.ofSeconds(60), 1 << 20, false)));
      await(p.define(new PoolDef("single", 0, 1, Duration.ofSeconds(60), 256 * 1024, false)));
      await(p.define(new PoolDef("brief", 0, 2, Duration.ofMillis(200), 256 * 1024, false)));
    }
    dir = Files.createTempDirectory("pools");
  }

  @AfterAll
  void stop() throws Exception {
    kit.close();
    await(vertx.close());
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @ParameterizedTest(name = "{0} bytes in {1} streams")
  @CsvSource({"0,1", "1,1", "262143,1", "262144,4", "262145,4", "5242881,1", "5242881,4"})
  void a_file_crosses_as_regions_and_lands_by_offset_byte_for_byte(int size, int streams) throws Exception {
    byte[] data = data(size, size);
    Path in = Files.write(dir.resolve("in-" + size + "-" + streams), data);
    Path out = dir.resolve("out-" + size + "-" + streams);
    String id = "file-" + UUID.randomUUID();
    PoolLink link = link("default", streams, token(), "a", "b", "sha256", false);
    PoolKit.FileReceiver r = kit.receiveFile(link, id, out);
    await(Future.all(kit.sendFile(link, id, in, Future.succeededFuture("sha256:" + sha256(data))), r.done()));
    r.channel().close();
    assertThat(Files.readAllBytes(out)).as("%d bytes over %d streams", size, streams).isEqualTo(data);
    assertThat(r.receiver().checksum()).isEqualTo("sha256:" + sha256(data));
    assertThat(r.output().verified()).as("verified by reading the file back").isEqualTo("disk");
  }

  @Test
  void a_file_that_shrank_is_never_sent_past_its_end_and_fails_the_hop_with_409() throws Exception {
    Path in = Files.write(dir.resolve("shrinking"), data(3 << 20, 12));
    String id = "shrunk-" + UUID.randomUUID();
    PoolLink link = link("default", 2, token(), "a", "b", null, false);
    PoolKit.FileReceiver r = kit.receiveFile(link, id, dir.resolve("shrunk-out"));
    try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(in, java.nio.file.StandardOpenOption.READ,
      java.nio.file.StandardOpenOption.WRITE)) {
      Sender s = Sender.file(kit.node("a"), link, id, f, 0, 3 << 20, Future.succeededFuture(""), "test");
      f.truncate(1 << 20);
      assertThatThrownBy(() -> await(s.open().compose(v -> s.done())))
        .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).isEqualTo(409));
    }
    assertThatThrownBy(() -> await(r.done())).isInstanceOf(XferException.class);
    r.channel().close();
    // the connections the hop used are in step: the next transfer goes through
    String next = "after-shrink-" + UUID.randomUUID();
    PoolLink link2 = link("default", 2, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r2 = kit.receiveBytes(link2, next);
    byte[] data = data(100_000, 13);
    await(Future.all(kit.sendBytes(link2, next, data), r2.receiver().completion()));
    assertThat(r2.collector().bytes()).isEqualTo(data);
  }

  @Test
  void four_streams_of_buffers_are_put_back_in_order_and_verified() throws Exception {
    byte[] data = data(6 * 1024 * 1024 + 13, 2);
    String id = "push-" + UUID.randomUUID();
    PoolLink link = link("default", 4, token(), "a", "b", "sha256", false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    await(Future.all(kit.sendBytes(link, id, data), r.receiver().completion()));
    assertThat(r.collector().bytes()).isEqualTo(data);
    assertThat(r.receiver().checksum()).isEqualTo("sha256:" + sha256(data));
  }

  @Test
  void the_streams_of_one_transfer_run_on_more_than_one_event_loop() throws Exception {
    byte[] data = data(2 * 1024 * 1024, 3);
    String id = "loops-" + UUID.randomUUID();
    PoolLink link = link("default", 4, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    await(Future.all(kit.sendBytes(link, id, data), r.receiver().completion()));
    List<io.vertx.core.Context> contexts = kit.node("a").connectionContexts("default", "b");
    assertThat(contexts).as("a connection per stream").hasSizeGreaterThanOrEqualTo(4);
    assertThat(contexts.stream().map(c -> ((ContextInternal) c).nettyEventLoop()).distinct().count())
      .as("event loops of the four connections").isGreaterThan(1);
  }

  @Test
  void a_stream_that_arrives_before_its_receiver_is_set_up_waits_for_it() throws Exception {
    byte[] data = data(300_000, 4);
    String id = "early-" + UUID.randomUUID();
    PoolLink link = link("default", 2, token(), "a", "b", null, false);
    Future<Void> sent = kit.sendBytes(link, id, data);
    // the receiving node sets up later than the sending one: its DATA_STARTs wait for it
    io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
    vertx.setTimer(300, t -> later.complete());
    await(later.future());
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    await(Future.all(sent, r.receiver().completion()));
    assertThat(r.collector().bytes()).isEqualTo(data);
  }

  @Test
  void a_wrong_token_is_refused_with_403() throws Exception {
    String id = "token-" + UUID.randomUUID();
    PoolKit.OrderedReceiver r = kit.receiveBytes(link("default", 1, token(), "a", "b", null, false), id);
    assertThatThrownBy(() -> await(kit.sendBytes(link("default", 1, token(), "a", "b", null, false), id,
      data(10, 5)))).isInstanceOfSatisfying(XferException.class, e -> {
        assertThat(e.code()).isEqualTo(403);
        assertThat(e.getMessage()).contains("unknown transfer or token");
      });
    r.receiver().abort("test over");
  }

  @Test
  void an_abort_fails_the_transfer_on_both_sides_and_leaves_the_connection_up() throws Exception {
    String id = "abort-" + UUID.randomUUID();
    PoolLink link = link("single", 1, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    r.collector().hold();
    Future<Void> sent = kit.sendBytes(link, id, data(4 << 20, 6));
    kit.until("bytes arrive", () -> r.receiver().received() > 0);
    r.receiver().abort("enough");
    assertThatThrownBy(() -> await(sent)).hasMessageContaining("aborted: enough");
    assertThatThrownBy(() -> await(r.receiver().completion())).hasMessageContaining("enough");
    // the pool's one connection carries the next transfer
    String next = "after-abort-" + UUID.randomUUID();
    PoolLink link2 = link("single", 1, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r2 = kit.receiveBytes(link2, next);
    byte[] data = data(200_000, 7);
    await(Future.all(kit.sendBytes(link2, next, data), r2.receiver().completion()));
    assertThat(r2.collector().bytes()).isEqualTo(data);
    assertThat(kit.node("a").connectionContexts("single", "b")).hasSize(1);
  }

  @Test
  void a_receiver_that_consumes_nothing_holds_no_more_than_the_window() throws Exception {
    String id = "window-" + UUID.randomUUID();
    PoolLink link = link("default", 2, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    r.collector().hold();
    Future<Void> sent = kit.sendBytes(link, id, data(8 << 20, 8));
    kit.until("the window fills", () -> r.receiver().received() >= (1 << 20) - 256 * 1024);
    // the streams may still be filling their shares; whatever they send, it never passes the window
    io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
    vertx.setTimer(300, t -> later.complete());
    await(later.future());
    assertThat(r.receiver().received()).as("bytes received while nothing was consumed")
      .isLessThanOrEqualTo(1 << 20);
    r.collector().release(r.context());
    await(Future.all(sent, r.receiver().completion()));
    assertThat(r.collector().size()).isEqualTo(8 << 20);
  }

  @Test
  void a_broken_connection_fails_its_transfers_and_a_resumable_one_goes_on_over_another() throws Exception {
    byte[] data = data(6 << 20, 9);
    for (boolean resume : new boolean[]{false, true}) {
      String id = "broken-" + resume + "-" + UUID.randomUUID();
      PoolLink link = link("default", 2, token(), "a", "b", "sha256", resume);
      PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
      r.collector().hold();
      Future<Void> sent = kit.sendBytes(link, id, data);
      kit.until("bytes arrive", () -> r.receiver().received() > 0);
      kit.node("a").breakConnections("default", "b");
      r.collector().release(r.context());
      if (!resume) {
        assertThatThrownBy(() -> await(sent)).isInstanceOfSatisfying(XferException.class,
          e -> assertThat(e.code()).isEqualTo(503));
        continue;
      }
      await(Future.all(sent, r.receiver().completion()));
      assertThat(r.collector().bytes()).as("the resumed transfer's bytes").isEqualTo(data);
      assertThat(r.receiver().checksum()).isEqualTo("sha256:" + sha256(data));
    }
  }

  @Test
  void an_idle_connection_closes_after_the_idle_timeout() throws Exception {
    String id = "idle-" + UUID.randomUUID();
    PoolLink link = link("brief", 1, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    await(Future.all(kit.sendBytes(link, id, data(10_000, 10)), r.receiver().completion()));
    kit.until("idle connections close", () -> kit.node("a").connectionContexts("brief", "b").isEmpty()
      && kit.node("b").connectionContexts("brief", "a").isEmpty());
  }

  @Test
  void the_data_port_is_the_parent_of_what_it_accepted_and_closing_it_closes_them() throws Exception {
    try (PoolKit own = new PoolKit(vertx, null, "c", "d")) {
      for (Pools p : List.of(own.node("c"), own.node("d"))) {
        await(p.define(new PoolDef("default", 0, 2, Duration.ofSeconds(60), 1 << 20, false)));
      }
      String id = "parent-" + UUID.randomUUID();
      PoolLink link = link("default", 1, token(), "c", "d", null, false);
      PoolKit.OrderedReceiver r = own.receiveBytes(link, id);
      await(Future.all(own.sendBytes(link, id, data(1000, 11)), r.receiver().completion()));
      // the accepted connection announces itself to its listener over the event bus, which may land
      // after the transfer ended
      own.until("d's data port lists the connection from c", () -> own.registry.listeners().stream()
        .anyMatch(l -> l.toJson().getJsonArray("children").size() == 1));
      var dataPortOfD = own.registry.listeners().stream()
        .filter(l -> l.toJson().getJsonArray("children").size() == 1).findFirst().orElseThrow();
      JsonArray children = dataPortOfD.toJson().getJsonArray("children");
      assertThat(((JsonObject) children.getValue(0)).getString("description")).contains("(c)");
      await(dataPortOfD.close("closing the data port", true));
      own.until("the accepted connection closes, and the other side sees it",
        () -> own.node("d").connectionContexts("default", "c").isEmpty()
          && own.node("c").connectionContexts("default", "d").isEmpty());
    }
  }
}
