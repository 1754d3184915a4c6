package io.xfernode.node.cluster;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.node.TestCluster;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.xfernode.node.TestCluster.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Two real clustered nodes in one JVM, sharing one Hazelcast cluster for the whole class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(60)
class ClusterNodesTest {

  private TestCluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = TestCluster.start("nodes", 2);
  }

  @AfterAll
  void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private List<String> nodeIds(int via) throws Exception {
    JsonObject reply = (JsonObject) await(cluster.node(via).vertx().eventBus()
      .request(Addresses.NODES, new JsonObject())).body();
    return reply.getJsonArray("nodes").stream().map(n -> ((JsonObject) n).getString("id"))
      .collect(Collectors.toList());
  }

  @Test
  @Order(1)
  void each_node_lists_both_nodes() throws Exception {
    assertThat(nodeIds(0)).as("nodes seen from n0").containsExactly("n0", "n1");
    assertThat(nodeIds(1)).as("nodes seen from n1").containsExactly("n0", "n1");
  }

  @Test
  @Order(2)
  void a_node_entry_describes_the_node() throws Exception {
    JsonObject reply = (JsonObject) await(cluster.node(1).vertx().eventBus()
      .request(Addresses.NODES, new JsonObject())).body();
    JsonObject n0 = reply.getJsonArray("nodes").getJsonObject(0);
    assertThat(n0.getString("id")).isEqualTo("n0");
    assertThat(n0.getString("host")).isEqualTo("127.0.0.1");
    assertThat(n0.getJsonObject("roots").getString("data")).isEqualTo(cluster.root(0).toString());
    assertThat(n0.getValue("elementTypes")).isInstanceOf(JsonArray.class);
    assertThat(n0.getValue("pools")).isInstanceOf(JsonArray.class);
    assertThat(n0.getInteger("transfers")).isZero();
    assertThat(n0.getJsonObject("bridge").getInteger("port")).as("bridge port of n0")
      .isEqualTo(cluster.node(0).bridgePort()).isPositive();
    assertThat(n0.getJsonObject("data").getInteger("port")).as("data port of n0")
      .isEqualTo(cluster.node(0).dataPort()).isPositive();
    assertThat(n0.containsKey(NodeDirectory.MEMBER)).as("internal member id is hidden").isFalse();
  }

  @Test
  @Order(3)
  void a_raw_bridge_client_gets_the_node_list() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      JsonObject frame = client.request(Addresses.NODES, new JsonObject());
      assertThat(frame.getString("type")).isEqualTo("message");
      List<Object> ids = frame.getJsonObject("body").getJsonArray("nodes").stream()
        .map(n -> ((JsonObject) n).getString("id")).collect(Collectors.toList());
      assertThat(ids).containsExactly("n0", "n1");
    }
  }

  @Test
  @Order(4)
  void the_bridge_refuses_an_address_that_is_not_public() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      JsonObject frame = client.request(Addresses.agent("n0"), new JsonObject());
      assertThat(frame.getString("type")).isEqualTo("err");
      assertThat(frame.getInteger("failureCode")).isEqualTo(403);
      assertThat(frame.getString("message")).isEqualTo("address: \"xfer.internal.agent.n0\" is not a public "
        + "address a client may send to");
      client.register(Addresses.control("n0"));
      JsonObject err = client.read();
      assertThat(err.getInteger("failureCode")).isEqualTo(403);
      assertThat(err.getString("address")).isEqualTo(Addresses.control("n0"));
      assertThat(err.getString("message")).as("registering a private address").isEqualTo("address: "
        + "\"xfer.internal.ctl.n0\" is not a public address a client may listen on");
      // the connection still serves public requests afterwards
      assertThat(client.request(Addresses.NODES, new JsonObject()).getString("type")).isEqualTo("message");
    }
  }

  @Test
  @Order(5)
  void the_bridge_closes_a_connection_that_declares_an_oversized_frame() throws Exception {
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      // one write, so that nothing arrives after the node closed (which would reset the connection)
      client.output().write(java.nio.ByteBuffer.allocate(4 + 1024).putInt(512 * 1024 * 1024).array());
      client.output().flush();
      JsonObject err = client.read();
      assertThat(err.getInteger("failureCode")).isEqualTo(400);
      assertThat(err.getString("message")).startsWith("frame: larger than limits.maxRequestBytes");
      assertThat(client.readByte()).as("end of stream after the error").isEqualTo(-1);
    }
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort())) {
      assertThat(client.request(Addresses.NODES, new JsonObject()).getString("type"))
        .as("other connections are unaffected").isEqualTo("message");
    }
  }

  @Test
  @Order(6)
  void the_bridge_answers_a_malformed_frame_with_an_error_naming_the_field() throws Exception {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put("{not json", "frame: malformed JSON: Unexpected character ('n' (code 110))");
    refused.put("[1,2]", "frame: must be a JSON object");
    refused.put("{\"type\":\"send\",\"address\":\"xfer.nodes\"} {}", "frame: text after the JSON object");
    refused.put("{\"type\":5,\"address\":\"xfer.nodes\"}", "type: must be a string");
    refused.put("{\"type\":\"shout\",\"address\":\"xfer.nodes\"}", "type: unknown frame type 'shout'");
    refused.put("{\"address\":\"xfer.nodes\"}", "type: missing");
    refused.put("{\"type\":\"send\",\"address\":[\"xfer.nodes\"]}", "address: must be a string");
    refused.put("{\"type\":\"send\",\"address\":\"xfer.nodes\",\"replyAddress\":7}",
      "replyAddress: must be a string");
    refused.put("{\"type\":\"send\",\"address\":\"xfer.nodes\",\"headers\":\"x\"}",
      "headers: must be an object of strings");
    refused.put("{\"type\":\"send\",\"address\":\"xfer.nodes\",\"headers\":{\"a\":{}}}",
      "headers.a: must be a string");
    refused.put("{\"type\":\"send\",\"address\":\"xfer.nodes\",\"body\":" + "[".repeat(10_000) + "]".repeat(10_000)
      + "}", "frame: malformed JSON: Document nesting depth");
    try (BridgeClient client = new BridgeClient(cluster.node(0).bridgePort());
         io.xfernode.test.LogWatch log = io.xfernode.test.LogWatch.watch()) {
      for (Map.Entry<String, String> bad : refused.entrySet()) {
        client.writeRaw(bad.getKey().getBytes(StandardCharsets.UTF_8));
        JsonObject err = client.read();
        assertThat(err.getString("type")).as("answer to %s", bad.getKey()).isEqualTo("err");
        assertThat(err.getInteger("failureCode")).as("code for %s", bad.getKey()).isEqualTo(400);
        assertThat(err.getString("message")).as("message for %s", bad.getKey()).startsWith(bad.getValue());
      }
      // the same connection still serves well-formed requests, a large body included
      JsonObject big = new JsonObject().put("padding", "x".repeat(200_000));
      assertThat(client.request(Addresses.NODES, big).getString("type")).isEqualTo("message");
      assertThat(log.errorsAndStackTraces()).as("what the bad frames left in the log").isEmpty();
    }
  }

  @Test
  @Order(7)
  void the_data_port_speaks_the_pool_protocol() throws Exception {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", cluster.node(0).dataPort()), 5000);
      socket.setSoTimeout(10_000);
      io.netty.buffer.ByteBuf hello = FrameCodec.encode(new Frame.Hello(Frame.VERSION, "nope", "x",
        new byte[Frame.NONCE_BYTES]), io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
      socket.getOutputStream().write(io.netty.buffer.ByteBufUtil.getBytes(hello));
      hello.release();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      byte[] frame = new byte[in.readInt()];
      in.readFully(frame);
      assertThat(FrameCodec.decode(io.netty.buffer.Unpooled.wrappedBuffer(frame)))
        .isEqualTo(new Frame.Refuse("unknown pool \"nope\""));
      assertThat(in.read()).as("end of stream").isEqualTo(-1);
    }
  }

  @Test
  @Order(8)
  void a_stopped_node_disappears_from_the_list() throws Exception {
    cluster.stop(1);
    assertThat(nodeIds(0)).as("nodes seen from n0 after n1 stopped").containsExactly("n0");
  }
}
