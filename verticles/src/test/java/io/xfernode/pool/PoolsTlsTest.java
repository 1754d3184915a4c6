package io.xfernode.pool;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;
import io.xfernode.test.TestCerts;
import io.xfernode.test.TestVertx;
import io.xfernode.transport.TlsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.xfernode.pool.PoolKit.await;
import static io.xfernode.pool.PoolKit.data;
import static io.xfernode.pool.PoolKit.link;
import static io.xfernode.pool.PoolKit.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SPEC 5: with {@code data.tls} every byte between nodes is TLS, and a data port that speaks TLS serves no
 * cleartext peer. What crosses the wire is checked on a tap between the nodes, not taken from a flag.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolsTlsTest {

  /** A run of bytes the payload repeats, easy to look for on the wire. */
  static final byte[] MARK = "xfernode-cleartext-canary-0123456789".getBytes(StandardCharsets.US_ASCII);

  private Vertx vertx;
  private PoolKit kit;
  private TlsConfig tls;
  private Path dir;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    TestCerts certs = TestCerts.create();
    tls = TlsConfig.fromJson("data.tls", certs.serverTls().mergeIn(certs.clientTls()));
    kit = new PoolKit(vertx, tls, "a", "b");
    for (Pools p : List.of(kit.node("a"), kit.node("b"))) {
      await(p.define(new PoolDef("default", 0, 4, Duration.ofSeconds(60), 1 << 20, false)));
      await(p.define(new PoolDef("secure", 0, 2, Duration.ofSeconds(60), 1 << 20, true)));
    }
    dir = Files.createTempDirectory("pools-tls");
  }

  @AfterAll
  void stop() throws Exception {
    kit.close();
    await(vertx.close());
  }

  static byte[] marked(int size) {
    byte[] data = data(size, size);
    for (int i = 0; i + MARK.length <= size; i += 4096) {
      System.arraycopy(MARK, 0, data, i, MARK.length);
    }
    return data;
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 262143, 262145, 3145729})
  void a_file_crosses_a_tls_pool_byte_for_byte_and_never_in_clear(int size) throws Exception {
    byte[] data = marked(size);
    Path in = Files.write(dir.resolve("in-" + size), data);
    Path out = dir.resolve("out-" + size);
    try (WireTap tap = WireTap.to(vertx, kit.addresses.get("b"))) {
      // a reaches b through the tap, on a connection of its own
      var real = kit.addresses.get("b");
      kit.addresses.put("b", tap.address());
      try {
        String id = "tls-" + UUID.randomUUID();
        PoolLink link = link("secure", 2, token(), "a", "b", "sha256", false);
        PoolKit.FileReceiver r = kit.receiveFile(link, id, out);
        String sum = "sha256:" + PoolsTest.sha256(data);
        await(Future.all(kit.sendFile(link, id, in, Future.succeededFuture(sum)), r.done()));
        r.channel().close();
      } finally {
        kit.addresses.put("b", real);
      }
      assertThat(Files.readAllBytes(out)).isEqualTo(data);
      if (size >= MARK.length) {
        assertThat(tap.seen().length).as("bytes on the wire").isGreaterThan(size);
        assertThat(tap.carried(MARK)).as("the payload crossed in clear").isFalse();
      }
    }
  }

  @Test
  void a_cleartext_hello_gets_no_welcome_from_a_tls_data_port() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", kit.addresses.get("b").port())) {
      raw.setSoTimeout(10_000);
      var hello = FrameCodec.encode(new Frame.Hello(Frame.VERSION, "secure", "a", new byte[Frame.NONCE_BYTES]),
        UnpooledByteBufAllocator.DEFAULT);
      raw.getOutputStream().write(ByteBufUtil.getBytes(hello));
      hello.release();
      InputStream in = raw.getInputStream();
      int first = in.read();
      assertThat(first).as("a TLS alert (0x15) or the end, never a WELCOME frame").isIn(-1, 0x15);
    } catch (java.net.SocketException e) {
      assertThat(e.getMessage()).containsIgnoringCase("reset");
    }
  }

  @Test
  void a_cleartext_node_gets_nothing_through_and_sends_no_payload() throws Exception {
    try (PoolKit plain = new PoolKit(vertx, null, "c")) {
      await(plain.node("c").define(new PoolDef("default", 0, 2, Duration.ofSeconds(60), 1 << 20, false)));
      plain.keys.putAll(kit.keys);
      try (WireTap tap = WireTap.to(vertx, kit.addresses.get("b"))) {
        plain.addresses.put("b", tap.address());
        byte[] data = marked(100_000);
        String id = "plain-" + UUID.randomUUID();
        PoolLink link = link("default", 1, token(), "c", "b", null, false);
        PoolKit.OrderedReceiver r = kit.receiveBytes(link, id);
        assertThatThrownBy(() -> await(plain.sendBytes(link, id, data))).isInstanceOf(XferException.class);
        assertThat(tap.carried(MARK)).as("the payload crossed in clear").isFalse();
        assertThat(r.receiver().received()).isZero();
        r.receiver().abort("test over");
      }
    }
  }

  @Test
  void a_tls_pool_is_refused_on_a_node_without_data_tls() throws Exception {
    Pools bare = new Pools(vertx, "x", peer -> Future.failedFuture("none"), null, NodeKeys.fixed("x",
      java.util.Map.of("x", new byte[32])));
    try {
      assertThatThrownBy(() -> await(bare.define(new PoolDef("secure", 0, 2, Duration.ofSeconds(60), 1 << 20, true))))
        .isInstanceOf(XferException.class)
        .hasMessageContaining("pools.secure.tls: the pool wants TLS but data.tls is not configured");
    } finally {
      await(bare.close());
    }
  }
}
