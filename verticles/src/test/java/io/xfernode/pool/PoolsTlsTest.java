package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
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

import java.io.InputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static io.xfernode.pool.PoolsTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC 5: a pool with {@code tls: true} runs over TLS from {@code data.tls}, and fails closed without it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class PoolsTlsTest {

  private Vertx vertx;
  private final Map<String, SocketAddress> addresses = new ConcurrentHashMap<>();
  private Pools a;
  private Pools b;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    TestCerts certs = TestCerts.create();
    TlsConfig tls = TlsConfig.fromJson("data.tls", certs.serverTls().mergeIn(certs.clientTls()));
    a = pools("a", tls);
    b = pools("b", tls);
    for (Pools p : List.of(a, b)) {
      await(p.define(new PoolDef("secure", 0, 2, Duration.ofSeconds(60), 1 << 20, true)));
    }
  }

  private Pools pools(String node, TlsConfig tls) throws Exception {
    return PoolsTest.listening(vertx, addresses, node, tls);
  }

  @AfterAll
  void stop() throws Exception {
    await(a.close());
    await(b.close());
    await(vertx.close());
  }

  @Test
  void a_transfer_crosses_a_tls_pool_byte_for_byte() throws Exception {
    byte[] token = new byte[16];
    new SecureRandom().nextBytes(token);
    byte[] data = new byte[2 * 1024 * 1024 + 5];
    new Random(3).nextBytes(data);
    Inbound in = await(b.expect("secure", "tls-1", token, 2));
    Buffer got = Buffer.buffer();
    Promise<Void> received = Promise.promise();
    b.context().runOnContext(v -> {
      in.handler(got::appendBuffer);
      in.completion().onComplete(received);
    });
    Outbound s0 = await(a.open("secure", "b", "tls-1", 0, 2, token));
    Outbound s1 = await(a.open("secure", "b", "tls-1", 1, 2, token));
    Promise<Void> sent = Promise.promise();
    a.context().runOnContext(v -> {
      PoolSender sender = new PoolSender(List.of(s0, s1), "");
      sender.write(Buffer.buffer(data));
      sender.end().onComplete(sent);
    });
    await(Future.all(sent.future(), received.future()));
    assertThat(got.getBytes()).isEqualTo(data);
  }

  @Test
  void a_cleartext_hello_gets_no_welcome_from_a_tls_data_port() throws Exception {
    try (Socket raw = new Socket("127.0.0.1", addresses.get("b").port())) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream().write(FrameCodec.encode(new Frame.Hello(Frame.VERSION, "secure", "mallory")).getBytes());
      InputStream in = raw.getInputStream();
      int first = in.read();
      assertThat(first).as("a TLS alert (0x15) or the end, never a WELCOME frame").isIn(-1, 0x15);
    } catch (java.net.SocketException e) {
      assertThat(e.getMessage()).containsIgnoringCase("reset");
    }
  }

  @Test
  void a_tls_pool_is_refused_on_a_node_without_data_tls() throws Exception {
    Pools plain = new Pools(vertx, "c", peer -> Future.succeededFuture(addresses.get(peer)), null);
    try {
      assertThatThrownBy(() -> await(plain.define(new PoolDef("secure", 0, 2, Duration.ofSeconds(60), 1 << 20, true))))
        .hasRootCauseInstanceOf(XferException.class)
        .hasMessageContaining("pools.secure.tls: the pool wants TLS but data.tls is not configured");
    } finally {
      await(plain.close());
    }
  }
}
