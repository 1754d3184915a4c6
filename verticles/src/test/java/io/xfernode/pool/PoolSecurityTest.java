package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.test.TestVertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.xfernode.pool.PoolKit.await;
import static io.xfernode.pool.PoolKit.data;
import static io.xfernode.pool.PoolKit.link;
import static io.xfernode.pool.PoolKit.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who is on the other end, and what they may send (SPEC 5): a peer proves it is the node it names, or is
 * refused without using up a place; a sender whose bytes overlap, overrun or fail the checksum never gets
 * its transfer reported done; a bad frame closes only its own connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolSecurityTest {

  private Vertx vertx;
  private PoolKit kit;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    kit = new PoolKit(vertx, null, "a", "b");
    for (Pools p : List.of(kit.node("a"), kit.node("b"))) {
      await(p.define(new PoolDef("default", 0, 2, Duration.ofSeconds(60), 1 << 20, false)));
      // what the hand-driven peers use, so that real connections never take their places
      await(p.define(new PoolDef("raw", 0, 16, Duration.ofSeconds(60), 1 << 20, false)));
    }
  }

  @AfterAll
  void stop() throws Exception {
    kit.close();
    await(vertx.close());
  }

  @Test
  void a_peer_that_claims_a_node_without_its_key_is_refused_and_uses_no_place() throws Exception {
    List<RawPeer> impostors = new ArrayList<>();
    try {
      // more impostors than the pool allows connections with a
      for (int i = 0; i < 4; i++) {
        RawPeer p = new RawPeer(kit.addresses.get("b"));
        impostors.add(p);
        byte[] wrong = new byte[32];
        assertThat(p.handshake("default", "a", wrong)).as("the accepting side answers HELLO")
          .isInstanceOf(Frame.Welcome.class);
        assertThat(p.read()).as("the answer to a wrong proof")
          .isEqualTo(new Frame.Refuse("no proof that this is node a"));
        assertThat(p.closed()).isTrue();
      }
      // the real node a still reaches b, with every place the pool has
      String id = "real-" + UUID.randomUUID();
      PoolLink link = link("default", 2, token(), "a", "b", null, false);
      PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
      byte[] data = data(500_000, 1);
      await(Future.all(kit.sendBytes(link, id, data), r.receiver().completion()));
      assertThat(r.collector().bytes()).isEqualTo(data);
    } finally {
      for (RawPeer p : impostors) {
        p.close();
      }
    }
  }

  @Test
  void a_data_port_that_is_not_the_node_meant_is_refused() throws Exception {
    // b's address now leads to a: a answers as a, which is not who b's caller meant
    var real = kit.addresses.get("b");
    kit.addresses.put("b", kit.addresses.get("a"));
    try {
      String id = "wrong-node-" + UUID.randomUUID();
      assertThatThrownBy(() -> await(kit.sendBytes(link("default", 1, token(), "a", "b", null, false), id,
        data(10, 2)))).isInstanceOfSatisfying(XferException.class,
          e -> assertThat(e.getMessage()).contains("meant to reach node b, not a"));
    } finally {
      kit.addresses.put("b", real);
    }
  }

  /** A proven peer (it has a's key) that opens a channel for a transfer b expects, then misbehaves. */
  private XferException misbehave(String id, byte[] token, long total, Sends sends) throws Exception {
    PoolKit.OrderedReceiver r = kit.receiveBytes(link("raw", 1, token, "a", "b", "sha256", false), id);
    try (RawPeer p = new RawPeer(kit.addresses.get("b"))) {
      assertThat(p.handshake("raw", "a", kit.keys.get("a"))).isInstanceOf(Frame.Welcome.class);
      p.send(new Frame.DataStart(1, id, 0, 1, token, total, ""));
      assertThat(p.read()).isInstanceOf(Frame.DataYes.class);
      sends.run(p);
      assertThatThrownBy(() -> await(r.receiver().completion())).isInstanceOf(XferException.class);
      Frame abort = p.read();
      assertThat(abort).as("the receiver tells the sender").isInstanceOf(Frame.Abort.class);
      assertThat(r.receiver().checksum()).as("nothing verified").isNull();
      try {
        await(r.receiver().completion());
      } catch (XferException e) {
        return e;
      }
    }
    throw new AssertionError("the transfer did not fail");
  }

  interface Sends {
    void run(RawPeer p) throws Exception;
  }

  @Test
  void bytes_that_overlap_bytes_held_fail_the_transfer_with_422() throws Exception {
    XferException e = misbehave("overlap-" + UUID.randomUUID(), token(), 100, p -> {
      p.sendData(1, 0, new byte[60]);
      p.sendData(1, 50, new byte[50]);
    });
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).contains("bytes 50 to 100 overlap bytes already held");
  }

  @Test
  void bytes_beyond_the_total_fail_the_transfer_with_422() throws Exception {
    XferException e = misbehave("beyond-" + UUID.randomUUID(), token(), 100, p -> p.sendData(1, 90, new byte[20]));
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).contains("bytes 90 to 110 lie beyond the end, 100");
  }

  @Test
  void an_eof_whose_checksum_does_not_match_fails_the_transfer_with_422() throws Exception {
    byte[] payload = data(1000, 3);
    XferException e = misbehave("corrupt-" + UUID.randomUUID(), token(), 1000, p -> {
      payload[500] ^= 1;
      p.sendData(1, 0, payload);
      payload[500] ^= 1;
      String sum = java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
      p.send(new Frame.Eof(1, 1000, "sha256:" + sum));
    });
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).contains("options.checksum: the sha256 of the bytes sent is");
  }

  @Test
  void an_eof_without_the_checksum_the_transfer_asked_for_fails_it_with_422() throws Exception {
    XferException e = misbehave("unchecked-" + UUID.randomUUID(), token(), 10, p -> {
      p.sendData(1, 0, new byte[10]);
      p.send(new Frame.Eof(1, 10, ""));
    });
    assertThat(e.code()).isEqualTo(422);
    assertThat(e.getMessage()).contains("the transfer asked for sha256, but the sender's EOF carries none");
  }

  @Test
  void a_bad_frame_closes_only_its_own_connection() throws Exception {
    try (RawPeer p = new RawPeer(kit.addresses.get("b"))) {
      assertThat(p.handshake("raw", "a", kit.keys.get("a"))).isInstanceOf(Frame.Welcome.class);
      p.send(new Frame.Credit(2, 10)); // a channel nobody opened: ignored
      p.sendData(0x7ffffffe, 0, new byte[1]); // payload for a channel nobody opened: dropped
      p.send(new Frame.Hello(Frame.VERSION, "default", "a", new byte[16])); // HELLO again: a protocol error
      assertThat(p.closed()).isTrue();
    }
    String id = "after-bad-" + UUID.randomUUID();
    PoolLink link = link("default", 1, token(), "a", "b", null, false);
    PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
    byte[] data = data(100_000, 4);
    await(Future.all(kit.sendBytes(link, id, data), r.receiver().completion()));
    assertThat(r.collector().bytes()).isEqualTo(data);
  }
}
