package io.xfernode.glue;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.xfernode.element.Mechanism;
import io.xfernode.element.NodeEnv;
import io.xfernode.link.Endpoint;
import io.xfernode.test.StubContext;
import io.xfernode.test.TestVertx;
import io.xfernode.transport.Connection;
import io.xfernode.transport.ReadOp;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.transport.StreamEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A direct hop's listening side (SPEC 5): a connection that does not present the transfer's token first
 * is reset, whether it comes before or after the right one, and the right one's bytes arrive intact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class TcpEndTest {

  private Vertx vertx;
  private Context context;
  private SocketRegistry sockets;
  private final byte[] token = new byte[16];

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx(TestVertx.options());
    context = vertx.getOrCreateContext();
    sockets = new SocketRegistry(vertx, "n0");
    await(sockets.start());
    new SecureRandom().nextBytes(token);
  }

  @AfterAll
  void stop() throws Exception {
    await(vertx.close());
  }

  /** The little of an element's context that a TCP side uses. */
  private final class Ctx extends StubContext {
    final CompletableFuture<Endpoint> listening = new CompletableFuture<>();

    @Override
    public Vertx vertx() {
      return vertx;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public String transferId() {
      return "t-hop";
    }

    @Override
    public String name() {
      return "glue[0]";
    }

    @Override
    public NodeEnv env() {
      return new NodeEnv("n0", "127.0.0.1", Map.of(), List.of(), 1 << 20, NodeEnv.DEFAULT_CHUNK);
    }

    @Override
    public SocketRegistry sockets() {
      return sockets;
    }

    @Override
    public byte[] hopToken() {
      return token.clone();
    }

    @Override
    public void listenInput(Endpoint endpoint) {
      listening.complete(endpoint);
    }
  }

  /**
   * Writes {@code bytes} in one write, then reads: the node may reset the connection before the write (a
   * connection it refuses on sight) or after reading the bytes.
   * @return whether the socket was reset or closed without a byte for it
   */
  private static boolean refusedAfter(Socket s, byte[] bytes) {
    try {
      s.getOutputStream().write(bytes);
      return s.getInputStream().read() < 0;
    } catch (IOException reset) {
      return true;
    }
  }

  @Test
  void connections_without_the_token_are_reset_and_the_right_ones_bytes_arrive_intact() throws Exception {
    Ctx ctx = new Ctx();
    TcpEnd end = new TcpEnd(Mechanism.TCP_LISTEN, true);
    Promise<Void> set = Promise.promise();
    context.runOnContext(v -> end.setup(ctx).onComplete(set));
    await(set.future());
    Endpoint where = ctx.listening.get();

    // before the right one: a peer that presents a wrong token
    try (Socket impostor = new Socket(where.address().host(), where.address().port())) {
      impostor.setSoTimeout(10_000);
      byte[] wrong = new byte[16 + 7];
      System.arraycopy("stolen?".getBytes(), 0, wrong, 16, 7);
      assertThat(refusedAfter(impostor, wrong)).as("a wrong token is reset").isTrue();
    }

    byte[] payload = new byte[300_000];
    new SecureRandom().nextBytes(payload);
    CompletableFuture<byte[]> received = new CompletableFuture<>();
    context.runOnContext(v -> end.open(ctx).onSuccess(c -> {
      Buffer got = Buffer.buffer();
      c.read(ReadOp.UNBOUNDED, (event, op, data) -> {
        if (event == StreamEvent.READ_READY) {
          got.appendBuffer(data);
        } else if (event.ends()) {
          received.complete(got.getBytes());
        }
      });
    }));
    try (Socket peer = new Socket(where.address().host(), where.address().port())) {
      OutputStream out = peer.getOutputStream();
      out.write(token);
      out.write(payload);
      out.flush();
      // after the right one: anyone else is reset at once
      try (Socket late = new Socket(where.address().host(), where.address().port())) {
        late.setSoTimeout(10_000);
        assertThat(refusedAfter(late, token)).as("a second connection, even with the token").isTrue();
      }
      peer.shutdownOutput();
      assertThat(received.get()).as("the right peer's bytes, and nothing of the others'").isEqualTo(payload);
    }
    Promise<Void> released = Promise.promise();
    context.runOnContext(v -> end.release().onComplete(released));
    await(released.future());
  }
}
