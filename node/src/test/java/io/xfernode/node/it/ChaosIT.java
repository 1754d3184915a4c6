package io.xfernode.node.it;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import io.xfernode.node.BridgeClient;
import io.xfernode.source.RandomBytes;
import io.xfernode.test.FreePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three fat-jar nodes (each with a 256 MiB heap) under load and faults, as SPEC 5 promises them:
 * <ul>
 *   <li>fifty concurrent transfers between two nodes over the pool stay within the memory budget and all
 *       end DONE with the right checksum;</li>
 *   <li>twice, a node is killed ({@code kill -9}) while mixed transfers run, and started again: every
 *       transfer reaches exactly one final state, no DONE transfer's bytes differ from its source, nothing
 *       is left at a failed transfer's destination, the transfers that do not touch the killed node end
 *       DONE, and the cluster serves the restarted node again.</li>
 * </ul>
 * Final states are read from {@code xfer.events} through the TCP bridge, as a dashboard would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class ChaosIT {

  private static final Set<String> FINAL = Set.of("DONE", "FAILED", "CANCELLED");
  private static final int FILE = 24 * 1024 * 1024 + 5;
  private static final String[] IDS = {"ca", "cb", "cc"};

  private Path dir;

  private int[] memberPorts;
  private String clusterName;
  private final NodeProcess[] nodes = new NodeProcess[3];
  /** Every process started, killed ones included, for their logs. */
  private final List<NodeProcess> started = new CopyOnWriteArrayList<>();
  private final int[] bridges = new int[3];
  private final Map<String, List<String>> finals = new ConcurrentHashMap<>();
  private final Map<String, List<String>> states = new ConcurrentHashMap<>();
  private final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();
  private BridgeClient events;
  private Thread listener;
  private volatile boolean closing;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("xfer-chaos");
    memberPorts = FreePorts.takeFixed(3);
    clusterName = "chaos-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      Files.createDirectories(root(i));
      Files.createDirectories(dir.resolve("state-" + IDS[i]));
      start(i);
    }
    for (int i = 0; i < 3; i++) {
      Files.write(root(i).resolve("src.bin"), RandomBytes.bytes(100 + i, FILE));
    }
    events = new BridgeClient(bridges[0]);
    events.register(Addresses.EVENTS);
    listener = new Thread(this::listen, "chaos-events");
    listener.setDaemon(true);
    listener.start();
  }

  @AfterAll
  void stop() throws Exception {
    closing = true;
    if (events != null) {
      events.close();
    }
    for (NodeProcess p : nodes) {
      if (p != null) {
        p.close();
        p.process().waitFor(30, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private Path root(int i) {
    return dir.resolve(IDS[i]);
  }

  private void start(int i) throws Exception {
    Path hz = NodeProcess.hazelcastConfig(dir.resolve("hazelcast-" + i + ".xml"), clusterName, memberPorts, i);
    nodes[i] = NodeProcess.start(dir.resolve("state-" + IDS[i]), "--cluster-config", hz.toString(),
      "--node-id", IDS[i], "--root", "data=" + root(i), "--bridge-port", "0", "--http-port", "0",
      "--data-port", "0");
    started.add(nodes[i]);
    bridges[i] = nodes[i].awaitUp();
  }

  /** Reads xfer.events for the whole class: every state event, per transfer. */
  private void listen() {
    while (!closing) {
      try {
        JsonObject frame = events.read();
        JsonObject body = frame.getJsonObject("body");
        if (body != null && "state".equals(body.getString("type"))) {
          String id = body.getString("id");
          String state = body.getString("state");
          states.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(state);
          if (FINAL.contains(state)) {
            finals.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(state);
          }
          synchronized (finals) {
            finals.notifyAll();
          }
        }
      } catch (SocketTimeoutException quiet) {
        // nothing happened for a while
      } catch (IOException | RuntimeException e) {
        if (!closing) {
          listenerErrors.add(e);
        }
        return;
      }
    }
  }

  /** Waits until each of {@code ids} has a final state event, or fails naming those without. */
  private void awaitFinal(List<String> ids, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (finals) {
      while (!ids.stream().allMatch(finals::containsKey)) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("transfers without a final state: %s (errors: %s)",
          ids.stream().filter(id -> !finals.containsKey(id)).toList(), listenerErrors).isPositive();
        finals.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  /** Waits until each of {@code ids} was seen RUNNING (or already ended). */
  private void awaitRunning(List<String> ids, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    synchronized (finals) {
      while (!ids.stream().allMatch(id -> states.getOrDefault(id, List.of()).contains("RUNNING")
        || finals.containsKey(id))) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("transfers not running: %s", ids).isPositive();
        finals.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  private JsonObject request(int node, String address, JsonObject body) throws IOException {
    try (BridgeClient c = new BridgeClient(bridges[node])) {
      JsonObject frame = c.request(address, body);
      if (!"message".equals(frame.getString("type"))) {
        throw new AssertionError(address + " " + body + " was answered " + frame);
      }
      return frame.getJsonObject("body");
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  @Order(1)
  void fifty_concurrent_pool_transfers_stay_within_the_memory_budget_and_all_arrive() throws Exception {
    int n = 50;
    int length = 32 * 1024 * 1024;
    Map<Integer, String> expected = new LinkedHashMap<>();
    for (int seed = 0; seed < 5; seed++) {
      expected.put(seed, sha256(RandomBytes.bytes(seed, length)));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "burst-" + i + "-" + UUID.randomUUID();
      ids.add(id);
      request(0, Addresses.SUBMIT, new JsonObject().put("id", id)
        .put("source", new JsonObject().put("type", "random").put("seed", i % 5).put("length", length))
        .put("sink", new JsonObject().put("type", "digest").put("node", "cb").put("algorithm", "sha256")));
    }
    awaitFinal(ids, 180);
    for (int i = 0; i < n; i++) {
      JsonObject status = request(0, Addresses.STATUS, new JsonObject().put("id", ids.get(i)));
      assertThat(status.getString("state")).as("%s: %s", ids.get(i), status.getJsonObject("error")).isEqualTo("DONE");
      assertThat(status.getJsonObject("checksum").getString("value")).isEqualTo(expected.get(i % 5));
    }
    for (NodeProcess p : nodes) {
      assertThat(p.process().isAlive()).isTrue();
    }
  }

  @Test
  @Order(2)
  void a_node_killed_twice_mid_transfer_leaves_every_transfer_ended_once_and_every_done_one_exact()
    throws Exception {
    round(2, "r1");
    round(1, "r2");
    // a lost node is an expected fault: nothing on a survivor (or on a node before its kill) fails unhandled
    for (NodeProcess p : started) {
      assertThat(p.linesContaining("unhandled failure in a handler")).as("unhandled failures of node %s",
        p.process().pid()).isEmpty();
    }
  }

  /** One round: mixed transfers, node {@code victim} killed while they run, then started again. */
  private void round(int victim, String tag) throws Exception {
    String v = IDS[victim];
    List<int[]> pairs = List.of(new int[]{0, 1}, new int[]{0, 2}, new int[]{1, 2}, new int[]{2, 0},
      new int[]{1, 0}, new int[]{0, 0});
    Map<String, Transfer> transfers = new LinkedHashMap<>();
    int k = 0;
    for (int[] p : pairs) {
      for (int controller : new int[]{0, victim}) {
        String id = tag + "-" + (k++) + "-" + IDS[p[0]] + "-" + IDS[p[1]] + "-via-" + IDS[controller];
        String out = id + ".bin";
        JsonObject spec = new JsonObject().put("id", id)
          .put("source", "file://" + IDS[p[0]] + "/data/src.bin")
          .put("sink", "file://" + IDS[p[1]] + "/data/" + out)
          .put("options", new JsonObject().put("checksum", "sha256").put("rateLimit", 8 << 20)
            .put("streams", 1 + k % 3).put("hop", k % 4 == 3 ? "direct" : "pool"));
        request(controller, Addresses.SUBMIT, spec);
        transfers.put(id, new Transfer(p[0], p[1], controller, out));
      }
    }
    List<String> ids = new ArrayList<>(transfers.keySet());
    awaitRunning(ids, 30);

    nodes[victim].process().toHandle().destroyForcibly(); // kill -9: no goodbye
    nodes[victim].process().waitFor(30, TimeUnit.SECONDS);
    awaitFinal(ids, 60);
    start(victim);

    for (String id : ids) {
      Transfer t = transfers.get(id);
      assertThat(finals.get(id)).as("final states of %s", id).hasSize(1);
      String state = finals.get(id).get(0);
      boolean touches = t.from == victim || t.to == victim || t.controller == victim;
      if (!touches) {
        assertThat(state).as("%s does not touch %s", id, v).isEqualTo("DONE");
      }
      Path dest = root(t.to).resolve(t.out);
      if (state.equals("DONE")) {
        assertThat(sha256(Files.readAllBytes(dest))).as("%s arrived exactly", id)
          .isEqualTo(sha256(Files.readAllBytes(root(t.from).resolve("src.bin"))));
      } else {
        assertThat(dest).as("nothing at the destination of %s, which ended %s", id, state).doesNotExist();
        // the lost node is the cause, whichever hop heard of it first (a reset is a symptom)
        JsonObject error = request(survivor(victim), Addresses.STATUS, new JsonObject().put("id", id))
          .getJsonObject("error");
        assertThat(error.getInteger("code")).as("%s: %s", id, error).isEqualTo(503);
      }
    }
    System.out.println("chaos round " + tag + " (killed " + v + "): " + ids.stream()
      .collect(java.util.stream.Collectors.groupingBy(id -> finals.get(id).get(0), java.util.stream.Collectors.counting())));
    // no partial file anywhere: those of the survivors were removed at the end of their transfers, those of
    // the killed node when it started again
    for (int i = 0; i < 3; i++) {
      try (Stream<Path> files = Files.list(root(i))) {
        assertThat(files.map(p -> p.getFileName().toString())).as("files in %s", IDS[i])
          .noneMatch(name -> name.endsWith(".part"));
      }
    }
    // the cluster serves the restarted node again
    String after = tag + "-after";
    request(0, Addresses.SUBMIT, new JsonObject().put("id", after)
      .put("source", "file://ca/data/src.bin").put("sink", "file://" + v + "/data/" + after + ".bin")
      .put("options", new JsonObject().put("checksum", "sha256")));
    awaitFinal(List.of(after), 60);
    assertThat(finals.get(after)).containsExactly("DONE");
    assertThat(sha256(Files.readAllBytes(root(victim).resolve(after + ".bin"))))
      .isEqualTo(sha256(Files.readAllBytes(root(0).resolve("src.bin"))));
  }

  private static int survivor(int victim) {
    return victim == 0 ? 1 : 0;
  }

  private record Transfer(int from, int to, int controller, String out) {
  }
}
