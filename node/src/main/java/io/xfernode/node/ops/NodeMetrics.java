package io.xfernode.node.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.backends.BackendRegistries;
import io.xfernode.engine.Engine;
import io.xfernode.pool.Pools;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's metrics (SPEC 2.7): Vert.x's own, through vertx-micrometer-metrics, and the transfers', in one
 * Prometheus registry per node, scraped at {@code GET /metrics}.
 *
 * <p>Nothing here sits on the data path. The transfer meters are fed once per transfer, when it ends
 * ({@link Engine#onFinished}), and read what runs now only when scraped: bytes from the transfers' last
 * status, the running count and the pools' connections from their live counts.
 */
public final class NodeMetrics {

  /** The final states {@code xfer_transfers_total} counts, there from the start at 0. */
  static final List<String> FINAL_STATES = List.of("DONE", "FAILED", "CANCELLED");
  /** The buckets of {@code xfer_transfer_seconds}: from a small file to a long copy. */
  static final Duration[] BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
    Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMinutes(5),
    Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(4)};

  private static final Logger log = LoggerFactory.getLogger(NodeMetrics.class);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  /** Vert.x keeps its registries by name, JVM-wide: one name per node keeps the nodes of a test JVM apart. */
  private final String registryName = "xfernode-" + UUID.randomUUID();
  private final LongAdder finishedBytes = new LongAdder();
  private final AtomicLong reportedBytes = new AtomicLong();
  private final Map<String, Counter> ended = new ConcurrentHashMap<>();
  private volatile Timer durations;
  private volatile MultiGauge poolConnections;
  private volatile Engine engine;
  private volatile Pools pools;

  /** Turns Vert.x's metrics on, into this node's registry, for the Vert.x instance the builder makes. */
  public VertxBuilder enable(VertxBuilder builder, VertxOptions options) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setRegistryName(registryName)
      .setJvmMetricsEnabled(true));
    return builder.with(options).withMetrics(new MicrometerMetricsFactory(registry));
  }

  /** Adds the transfer and pool meters, once the node's engine and pools exist. */
  public void bind(Engine engine, Pools pools) {
    this.engine = engine;
    this.pools = pools;
    FunctionCounter.builder("xfer.bytes", this, NodeMetrics::bytesMoved)
      .description("Bytes moved by the transfers this node controls (the source's bytes)")
      .register(registry);
    for (String state : FINAL_STATES) {
      ended(state);
    }
    Gauge.builder("xfer.transfers.running", engine, Engine::activeTransfers)
      .description("Transfers this node controls now")
      .register(registry);
    durations = Timer.builder("xfer.transfer")
      .description("How long the transfers this node controlled ran, start to end")
      .serviceLevelObjectives(BUCKETS)
      .register(registry);
    poolConnections = MultiGauge.builder("xfer.pool.connections")
      .description("Open data connections of this node, by pool and peer node")
      .register(registry);
    engine.onFinished(this::finished);
  }

  private Counter ended(String state) {
    return ended.computeIfAbsent(state, s -> Counter.builder("xfer.transfers")
      .description("Transfers this node controlled that ended, by final state")
      .tag("state", s)
      .register(registry));
  }

  private void finished(JsonObject status) {
    finishedBytes.add(status.getLong("bytes", 0L));
    ended(status.getString("state", "UNKNOWN")).increment();
    try {
      String started = status.getString("startedAt");
      String end = status.getString("endedAt");
      if (started != null && end != null) {
        durations.record(Duration.between(Instant.parse(started), Instant.parse(end)));
      }
    } catch (RuntimeException e) {
      log.debug("transfer {}: no duration to record: {}", status.getString("id"), e.getMessage());
    }
  }

  /**
   * The bytes of ended transfers and of running ones. A transfer that ends leaves the running ones before
   * its bytes are added to the ended ones; a scrape in between would see the sum drop, which Prometheus
   * takes for a restart: the counter never answers less than it did.
   */
  private double bytesMoved() {
    long now = finishedBytes.sum() + (engine == null ? 0 : engine.runningBytes());
    return reportedBytes.accumulateAndGet(now, Math::max);
  }

  /** The handler of {@code GET /metrics}: Prometheus text, with the pools' connections as they are now. */
  public Handler<RoutingContext> scrapeHandler() {
    Handler<RoutingContext> scrape = PrometheusScrapingHandler.create(registry);
    return ctx -> {
      refreshPools();
      scrape.handle(ctx);
    };
  }

  private void refreshPools() {
    if (pools == null || poolConnections == null) {
      return;
    }
    JsonArray list = pools.list().result();
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    if (list != null) {
      for (Object p : list) {
        JsonObject pool = (JsonObject) p;
        JsonObject peers = pool.getJsonObject("peers", new JsonObject());
        for (String peer : peers.fieldNames()) {
          int connections = peers.getJsonObject(peer).getInteger("connections", 0);
          rows.add(MultiGauge.Row.of(Tags.of("pool", pool.getString("name"), "peer", peer), connections));
        }
      }
    }
    poolConnections.register(rows, true);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Lets go of the registry, after the Vert.x instance closed. */
  public void close() {
    BackendRegistries.stop(registryName);
    registry.close();
  }
}
