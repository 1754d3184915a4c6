package io.xfernode.node.net;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.xfernode.node.config.ConfigException;
import io.xfernode.node.config.ListenConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortBinderTest {

  private Vertx vertx;
  private NetServer occupier;
  private int taken;

  @BeforeAll
  void occupyAPort() throws Exception {
    vertx = Vertx.vertx();
    occupier = vertx.createNetServer().connectHandler(s -> s.close());
    await(occupier.listen(0, "127.0.0.1"));
    taken = occupier.actualPort();
  }

  @AfterAll
  void close() throws Exception {
    await(vertx.close());
  }

  private Listener server() {
    NetServer server = vertx.createNetServer().connectHandler(s -> s.close());
    return new Listener() {
      @Override
      public Future<Integer> listen(String host, int port) {
        return server.listen(port, host).map(NetServer::actualPort);
      }

      @Override
      public Future<Void> close() {
        return server.close();
      }
    };
  }

  @Test
  void a_taken_default_port_moves_to_the_next_free_one() throws Exception {
    PortBinder.Bound<Listener> bound = await(PortBinder.bind("bridge.port",
      new ListenConfig("127.0.0.1", taken, false, null), this::server));
    try {
      assertThat(bound.port()).isGreaterThan(taken).isLessThan(taken + PortBinder.MAX_TRIES);
    } finally {
      await(bound.listener().close());
    }
  }

  @Test
  void a_taken_configured_port_is_an_error_naming_the_key() {
    assertThatThrownBy(() -> await(PortBinder.bind("http.port",
      new ListenConfig("127.0.0.1", taken, true, null), this::server)))
      .isInstanceOf(ConfigException.class)
      .hasMessage("http.port: port " + taken + " on 127.0.0.1 is already in use; choose another port, "
        + "or 0 for any free port");
  }

  @Test
  void port_zero_binds_any_free_port() throws Exception {
    PortBinder.Bound<Listener> bound = await(PortBinder.bind("data.port",
      new ListenConfig("127.0.0.1", 0, true, null), this::server));
    assertThat(bound.port()).isPositive();
    await(bound.listener().close());
  }
}
