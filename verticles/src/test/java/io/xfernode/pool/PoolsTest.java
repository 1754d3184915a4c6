package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;
import io.xfernode.test.TestVertx;
import io.xfernode.transport.TlsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two nodes' pools in one JVM, over real TCP on loopback: transfers over one or several streams, several
 * transfers sharing one connection, flow control, refusals, aborts, broken connections and bad frames.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolsTest {

  private Vertx vertx;
  private final Map<String, SocketAddress> addresses = new ConcurrentHashMap<>();
  private Pools a;
  private Pools b;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    a = pools("a");
    b = pools("b");
    for (Pools p : List.of(a, b)) {
      await(p.define(new PoolDef("default", 0, 2, Duration.ofSeconds(60), 256 * 1024, false)));
      await(p.define(new PoolDef("single", 0, 1, Duration.ofSeconds(60), 256 * 1024, false)));
      await(p.define(new PoolDef("brief", 0, 2, Duration.ofMillis(200), 256 * 1024, false)));
    }
  }

  private Pools pools(String node) throws Exception {
    return listening(vertx, addresses, node, null);
  }

  /** A node's pools on a data port of its own, found by its peers through {@code addresses}. */
  static Pools listening(Vertx vertx, Map<String, SocketAddress> addresses, String node, TlsConfig tls)
    throws Exception {
    Pools p = new Pools(vertx, node, peer -> {
      SocketAddress address = addresses.get(peer);
      return address == null ? Future.failedFuture("unknown node " + peer) : Future.succeededFuture(address);
    }, tls);
    addresses.put(node, SocketAddress.inetSocketAddress(await(p.listen("127.0.0.1", 0)), "127.0.0.1"));
    return p;
  }

  @AfterAll
  void stop() throws Exception {
    await(a.close());
    await(b.close());
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Runs {@code action} on the pools' context and waits for it. */
  private static void on(Pools p, Runnable action) throws Exception {
    Promise<Void> done = Promise.promise();
    p.context().runOnContext(v -> {
      action.run();
      done.complete();
    });
    await(done.future());
  }

  private static byte[] token() {
    byte[] t = new byte[Frame.DataStart.TOKEN_BYTES];
    new SecureRandom().nextBytes(t);
    return t;
  }

  private static Buffer data(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Buffer.buffer(bytes);
  }

  private static String sha256(Buffer b) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.getBytes()));
  }

  /** What a receiver got, once it ended or failed. */
  private static final class Received {
    final Buffer bytes = Buffer.buffer();
    final Promise<Buffer> done = Promise.promise();
    Inbound inbound;
  }

  private Received receive(Pools at, String pool, String transfer, byte[] token, int streams) throws Exception {
    Received r = new Received();
    r.inbound = await(at.expect(pool, transfer, token, streams));
    Promise<Void> ready = Promise.promise();
    at.context().runOnContext(v -> {
      r.inbound.handler(r.bytes::appendBuffer);
      r.inbound.completion().onComplete(ar -> {
        if (ar.succeeded()) {
          r.done.tryComplete(r.bytes);
        } else {
          r.done.tryFail(ar.cause());
        }
      });
      ready.complete();
    });
    await(ready.future());
    return r;
  }

  /** Opens the streams and writes {@code data} with backpressure; completes once the receiver acknowledged. */
  private Future<PoolSender> send(Pools from, String pool, String to, String transfer, byte[] token, int streams,
                                  Buffer data) {
    List<Future<Outbound>> opening = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      opening.add(from.open(pool, to, transfer, i, streams, token));
    }
    return Future.all(opening).compose(all -> {
      PoolSender sender = new PoolSender(all.list(), "");
      Promise<PoolSender> written = Promise.promise();
      pump(sender, data, 0, written);
      return written.future().compose(s -> s.end().map(s));
    });
  }

  private static void pump(PoolSender sender, Buffer data, int at, Promise<PoolSender> written) {
    int pos = at;
    while (pos < data.length() && !sender.writeQueueFull()) {
      int end = Math.min(data.length(), pos + 100_003);
      sender.write(data.slice(pos, end));
      pos = end;
    }
    if (pos >= data.length()) {
      written.tryComplete(sender);
      return;
    }
    int resume = pos;
    sender.drainHandler(v -> pump(sender, data, resume, written));
    sender.exceptionHandler(written::tryFail);
  }

  private JsonObject pool(Pools p, String name) throws Exception {
    JsonArray list = await(p.list());
    return list.stream().map(o -> (JsonObject) o).filter(o -> o.getString("name").equals(name)).findFirst()
      .orElseThrow();
  }

  @Test
  void one_stream_carries_a_transfer_byte_for_byte() throws Exception {
    Buffer data = data(3 * 1024 * 1024 + 7, 1);
    byte[] token = token();
    Received r = receive(b, "default", "t-one", token, 1);
    PoolSender sender = await(send(a, "default", "b", "t-one", token, 1, data));
    Buffer got = await(r.done.future());
    assertThat(sha256(got)).isEqualTo(sha256(data));
    assertThat(sender.written()).isEqualTo(data.length());
  }

  @Test
  void four_streams_are_put_back_in_order() throws Exception {
    Buffer data = data(5 * 1024 * 1024 + 13, 2);
    byte[] token = token();
    Received r = receive(b, "default", "t-four", token, 4);
    await(send(a, "default", "b", "t-four", token, 4, data));
    assertThat(sha256(await(r.done.future()))).isEqualTo(sha256(data));
  }

  @Test
  void a_stalled_transfer_does_not_stall_another_on_the_same_connection() throws Exception {
    byte[] slowToken = token();
    Received slow = receive(b, "single", "t-slow", slowToken, 1);
    on(b, () -> slow.inbound.pause());
    Buffer slowData = data(2 * 1024 * 1024, 3);
    Future<PoolSender> slowSend = send(a, "single", "b", "t-slow", slowToken, 1, slowData);

    byte[] fastToken = token();
    Received fast = receive(b, "single", "t-fast", fastToken, 1);
    Buffer fastData = data(3 * 1024 * 1024, 4);
    await(send(a, "single", "b", "t-fast", fastToken, 1, fastData));
    assertThat(sha256(await(fast.done.future()))).isEqualTo(sha256(fastData));
    assertThat(pool(a, "single").getJsonObject("peers").getJsonObject("b").getInteger("connections"))
      .as("both transfers shared the pool's one connection").isEqualTo(1);

    assertThat(slowSend.isComplete()).as("the paused transfer is still waiting").isFalse();
    assertThat(slow.bytes.length()).isZero();
    on(b, () -> slow.inbound.resume());
    await(slowSend);
    assertThat(sha256(await(slow.done.future()))).isEqualTo(sha256(slowData));
  }

  @Test
  void a_paused_receiver_holds_no_more_than_the_window() throws Exception {
    byte[] token = token();
    Received r = receive(b, "default", "t-window", token, 2);
    on(b, () -> r.inbound.pause());
    Outbound[] outs = new Outbound[2];
    outs[0] = await(a.open("default", "b", "t-window", 0, 2, token));
    outs[1] = await(a.open("default", "b", "t-window", 1, 2, token));
    Promise<Long> sentWhenFull = Promise.promise();
    a.context().runOnContext(v -> {
      PoolSender sender = new PoolSender(List.of(outs), "");
      while (!sender.writeQueueFull()) {
        sender.write(data(256 * 1024, 5));
      }
      // give the peer time to grant what it will; the window caps what it takes
      vertx.setTimer(300, t -> a.context().runOnContext(x -> sentWhenFull.complete(outs[0].sent() + outs[1].sent())));
    });
    assertThat(await(sentWhenFull.future())).as("bytes sent to a paused receiver")
      .isLessThanOrEqualTo(256 * 1024);

    // two chunks leave the receiver: exactly their bytes of credit go back, no more
    Promise<Long> sentAfterTwo = Promise.promise();
    b.context().runOnContext(v -> {
      r.inbound.fetch(2);
      vertx.setTimer(300, t -> a.context().runOnContext(x -> sentAfterTwo.complete(outs[0].sent() + outs[1].sent())));
    });
    long delivered = r.bytes.length();
    assertThat(await(sentAfterTwo.future())).as("bytes sent once %d were delivered", delivered)
      .isLessThanOrEqualTo(256 * 1024 + (long) r.bytes.length());
    on(b, () -> r.inbound.abort("test over"));
    assertThatThrownBy(() -> await(outs[0].acknowledged())).hasMessageContaining("aborted: test over");
  }

  @Test
  void a_wrong_token_is_refused() throws Exception {
    receive(b, "default", "t-token", token(), 1);
    assertThatThrownBy(() -> await(a.open("default", "b", "t-token", 0, 1, token())))
      .hasRootCauseInstanceOf(XferException.class)
      .hasMessageContaining("refused the channel: unknown transfer or token");
  }

  @Test
  void an_abort_fails_the_transfer_and_leaves_the_connection_up() throws Exception {
    byte[] token = token();
    Received r = receive(b, "single", "t-abort", token, 1);
    Outbound out = await(a.open("single", "b", "t-abort", 0, 1, token));
    on(a, () -> out.abort("cancelled by the user"));
    assertThatThrownBy(() -> await(r.done.future())).hasMessageContaining("aborted: cancelled by the user");

    byte[] next = token();
    Received after = receive(b, "single", "t-after-abort", next, 1);
    Buffer data = data(100_000, 6);
    await(send(a, "single", "b", "t-after-abort", next, 1, data));
    assertThat(sha256(await(after.done.future()))).isEqualTo(sha256(data));
    assertThat(pool(a, "single").getJsonObject("peers").getJsonObject("b").getInteger("connections")).isEqualTo(1);
  }

  @Test
  void a_broken_connection_fails_the_transfers_on_it() throws Exception {
    byte[] token = token();
    Received r = receive(b, "brief", "t-broken", token, 1);
    Outbound out = await(a.open("brief", "b", "t-broken", 0, 1, token));
    // the node closes every connection of a pool it removes, which breaks them under their channels
    await(a.remove("brief"));
    assertThatThrownBy(() -> await(out.acknowledged())).hasMessageContaining("pool brief was removed");
    assertThatThrownBy(() -> await(r.done.future())).hasMessageContaining("closed");
    await(a.define(new PoolDef("brief", 0, 2, Duration.ofMillis(200), 256 * 1024, false)));
  }

  @Test
  void an_unknown_pool_is_refused_and_a_bad_frame_closes_only_its_connection() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", addresses.get("b").port())) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(FrameCodec.encode(new Frame.Hello(Frame.VERSION, "nope", "x")).getBytes());
      DataInputStream in = new DataInputStream(raw.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      assertThat(FrameCodec.decode(Buffer.buffer(frame))).isEqualTo(new Frame.Refuse("unknown pool \"nope\""));
      assertThat(in.read()).as("closed after REFUSE").isEqualTo(-1);
    }
    try (Socket raw = new Socket("127.0.0.1", addresses.get("b").port())) {
      raw.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(raw.getOutputStream());
      out.write(FrameCodec.encode(new Frame.Hello(Frame.VERSION, "default", "mallory")).getBytes());
      out.writeInt(5);
      out.write(new byte[] {0x7f, 1, 2, 3, 4});
      DataInputStream in = new DataInputStream(raw.getInputStream());
      byte[] welcome = new byte[in.readInt()];
      in.readFully(welcome);
      assertThat(FrameCodec.decode(Buffer.buffer(welcome))).isEqualTo(new Frame.Welcome("b"));
      assertThat(readUntilClosed(in)).as("closed after a bad frame").isTrue();
    }
    byte[] token = token();
    Received r = receive(b, "default", "t-after-bad", token, 1);
    Buffer data = data(200_000, 7);
    await(send(a, "default", "b", "t-after-bad", token, 1, data));
    assertThat(sha256(await(r.done.future()))).isEqualTo(sha256(data));
  }

  private static boolean readUntilClosed(DataInputStream in) {
    try {
      while (in.read() >= 0) {
        // discard
      }
      return true;
    } catch (java.io.IOException e) {
      return true; // a reset is a close too
    }
  }

  @Test
  void an_idle_connection_closes_after_the_idle_timeout() throws Exception {
    byte[] token = token();
    Received r = receive(b, "brief", "t-idle", token, 1);
    await(send(a, "brief", "b", "t-idle", token, 1, data(10_000, 8)));
    await(r.done.future());
    awaitPool(a, "brief", peers -> peers.isEmpty());
    awaitPool(b, "brief", peers -> peers.isEmpty());
  }

  private void awaitPool(Pools p, String name, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonObject peers;
    do {
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(100, t -> tick.complete());
      await(tick.future());
      peers = pool(p, name).getJsonObject("peers");
    } while (!condition.test(peers) && System.nanoTime() < deadline);
    assertThat(condition.test(peers)).as("pool %s peers %s", name, peers).isTrue();
  }
}
