package io.xfernode.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.json.JsonObject;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.MemoryElements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.datagram.DatagramSocketOptions;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code udp} source and sink, over loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class UdpElementsTest {

  private final MemoryElements memory = new MemoryElements();
  private EngineFixture fx;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start(memory.registry(), List.of());
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  /** Submits a transfer whose source is {@code udp} and returns where it listens, and a watch on it. */
  private record Receiver(Watch watch, String host, int port) {
  }

  private Receiver receive(JsonObject source, JsonObject sink) throws Exception {
    String id = "udp-rx-" + UUID.randomUUID();
    Watch watch = Watch.start(fx, id);
    JsonObject reply = await(fx.submit(new JsonObject().put("id", id).put("source", source).put("sink", sink)));
    JsonObject listen = reply.getJsonObject("endpoints").getJsonObject("source").getJsonObject("listen");
    return new Receiver(watch, listen.getString("host"), listen.getInteger("port"));
  }

  @Test
  void bytes_sent_by_a_paced_udp_sink_arrive_intact_at_a_udp_source() throws Exception {
    // modest, so that a cold JVM on two cores keeps up: UDP drops what the receiver cannot take
    int length = 512 * 1024 + 333;
    Receiver rx = receive(new JsonObject().put("type", "udp").put("host", "127.0.0.1").put("port", 0)
      .put("length", length).put("idleTimeout", "PT5S").put("receiveBuffer", 1 << 20),
      new JsonObject().put("type", "digest"));
    assertThat(rx.port()).as("the published port").isPositive();

    JsonObject sent = fx.run(new JsonObject()
      .put("source", new JsonObject().put("type", "random").put("seed", 41).put("length", length))
      .put("sink", new JsonObject().put("type", "udp").put("host", rx.host()).put("port", rx.port())
        .put("datagramSize", 1400).put("rate", 1024 * 1024)));
    assertThat(sent.getString("state")).as(sent.encodePrettily()).isEqualTo("DONE");
    assertThat(sent.getLong("bytes")).isEqualTo(length);

    JsonObject received = rx.watch().finalStatus();
    assertThat(received.getString("state")).as(received.encodePrettily()).isEqualTo("DONE");
    assertThat(received.getLong("bytes")).as("%s", rx.watch().infos("source")).isEqualTo(length);
    assertThat(received.getLong("total")).as("a UDP length is where the stream stops at most, not a promised total")
      .isEqualTo(-1);
    assertThat(received.getJsonObject("checksum").getString("value")).as("sha256 of the received bytes")
      .isEqualTo(Watch.sha256(RandomBytes.bytes(41, length)));
    List<JsonObject> infos = rx.watch().infos("source");
    assertThat(infos).as("the source's INFO at the end").hasSize(1);
    assertThat(infos.get(0).getLong("dropped")).as("dropped datagrams").isZero();
    assertThat(infos.get(0).getLong("datagrams")).isEqualTo((length + 1399) / 1400);
  }

  @Test
  void a_udp_source_ends_after_its_idle_timeout_with_exactly_the_datagrams_that_came() throws Exception {
    // long enough that the sends below, however slow the machine, come within it
    Receiver rx = receive(new JsonObject().put("type", "udp").put("host", "127.0.0.1").put("idleTimeout", "PT3S"),
      new JsonObject().put("type", "memory").put("key", "idle"));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DatagramSocket client = fx.vertx().createDatagramSocket();
    try {
      for (int i = 0; i < 3; i++) {
        byte[] payload = RandomBytes.bytes(50 + i, 1000 + i * 7);
        expected.writeBytes(payload);
        await(client.send(Buffer.buffer(payload), rx.port(), rx.host()));
      }
    } finally {
      await(client.close());
    }
    JsonObject status = rx.watch().finalStatus();
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("idle")).isEqualTo(expected.toByteArray());
    assertThat(rx.watch().infos("source").get(0).getString("message")).contains("idleTimeout");
  }

  @Test
  void a_udp_source_with_a_length_cuts_the_datagram_that_crosses_it() throws Exception {
    int length = 2500;
    Receiver rx = receive(new JsonObject().put("type", "udp").put("host", "127.0.0.1").put("length", length),
      new JsonObject().put("type", "memory").put("key", "cut"));
    byte[] payload = RandomBytes.bytes(60, 3000);
    DatagramSocket client = fx.vertx().createDatagramSocket();
    try {
      await(client.send(Buffer.buffer(Arrays.copyOfRange(payload, 0, 1500)), rx.port(), rx.host()));
      await(client.send(Buffer.buffer(Arrays.copyOfRange(payload, 1500, 3000)), rx.port(), rx.host()));
    } finally {
      await(client.close());
    }
    JsonObject status = rx.watch().finalStatus();
    assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
    assertThat(memory.get("cut")).isEqualTo(Arrays.copyOf(payload, length));
    assertThat(rx.watch().infos("source").get(0).getString("message")).contains("length");
  }

  @Test
  void a_cancelled_udp_source_ends_at_once_and_gives_its_port_back() throws Exception {
    Receiver rx = receive(new JsonObject().put("type", "udp").put("host", "127.0.0.1").put("idleTimeout", "PT60S"),
      new JsonObject().put("type", "null"));
    String id = rx.watch().id();
    long started = System.nanoTime();
    await(fx.engine().cancel(new JsonObject().put("id", id)));
    assertThat(rx.watch().finalStatus().getString("state")).isEqualTo("CANCELLED");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("ms to cancel").isLessThan(2000);
    // the JDK closes a socket registered with a selector only at that selector's next select, a moment
    // after the close completed: the port is free again within a few tries, each 10 ms apart
    for (int attempt = 1; ; attempt++) {
      DatagramSocket again = fx.vertx().createDatagramSocket();
      try {
        await(again.listen(rx.port(), rx.host()));
        await(again.close());
        return;
      } catch (java.net.BindException e) {
        await(again.close().otherwiseEmpty());
        if (attempt == 20) {
          // say who holds the port, so that a failure here tells whether it is this process
          Process ss = new ProcessBuilder("sh", "-c", "ss -uanp 2>&1 | grep ':" + rx.port() + " '").start();
          String holders = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          throw new AssertionError("udp port " + rx.port() + " is still taken 200 ms after the cancel (this JVM is"
            + " pid " + ProcessHandle.current().pid() + "): " + holders, e);
        }
        await(fx.vertx().timer(10));
      }
    }
  }

  @Test
  void a_udp_sink_cuts_the_stream_into_datagrams_of_exactly_the_datagram_size() throws Exception {
    int size = 1000;
    // more than one input buffer, so that some datagrams span two of them
    int length = 256 * 1024 * 2 + 4321;
    // a receive buffer of 1 MiB: larger ones make Vert.x slow to read each datagram
    int datagrams = (length + size - 1) / size;
    String pattern = "0123456789abcdef!";
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    CompletableFuture<Void> all = new CompletableFuture<>();
    DatagramSocket server = fx.vertx().createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(1 << 20));
    server.handler(p -> {
      synchronized (got) {
        got.writeBytes(p.data().getBytes());
      }
      sizes.add(p.data().length());
      if (sizes.size() == datagrams) {
        all.complete(null);
      }
    });
    await(server.listen(0, "127.0.0.1"));
    try {
      JsonObject status = fx.run(new JsonObject()
        .put("source", new JsonObject().put("type", "pattern").put("pattern", pattern).put("length", length))
        .put("sink", new JsonObject().put("type", "udp").put("host", "127.0.0.1")
          .put("port", server.localAddress().port()).put("datagramSize", size).put("rate", 2 * 1024 * 1024)));
      assertThat(status.getString("state")).as(status.encodePrettily()).isEqualTo("DONE");
      all.get(10, TimeUnit.SECONDS);
      assertThat(sizes.subList(0, datagrams - 1)).as("every datagram but the last").allMatch(s -> s == size);
      assertThat(sizes.get(datagrams - 1)).as("the last datagram").isEqualTo(length % size);
      byte[] expected = new byte[length];
      byte[] unit = pattern.getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < length; i++) {
        expected[i] = unit[i % unit.length];
      }
      synchronized (got) {
        assertThat(Watch.sha256(got.toByteArray())).as("sha256 of the datagrams' payloads")
          .isEqualTo(Watch.sha256(expected));
      }
    } finally {
      await(server.close());
    }
  }
}
