package io.xfernode.events;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The recent events of the transfers whose events this node publishes (those it controls or adopted), so
 * that a subscriber that missed some, such as an SSE client that reconnects with {@code Last-Event-ID}, can
 * ask for them ({@link HistoryRequest} on {@code xfer.internal.history.<node>}). Memory is bounded: each
 * transfer keeps its last {@link #DEFAULT_CAPACITY} events, and an ended transfer's history is dropped
 * {@link #DEFAULT_RETAIN_MS} after its end, or sooner once {@link #DEFAULT_MAX_ENDED} ended ones are kept.
 * Thread-safe: each controller records from a context of its own.
 */
public final class EventHistory {

  public static final int DEFAULT_CAPACITY = 256;
  public static final long DEFAULT_RETAIN_MS = 5 * 60_000L;
  public static final int DEFAULT_MAX_ENDED = 256;

  private final Vertx vertx;
  private final int capacity;
  private final long retainMs;
  private final int maxEnded;
  private final Map<String, Log> logs = new ConcurrentHashMap<>();
  /** Ended histories, oldest first: the first to go when there are too many. */
  private final ConcurrentLinkedQueue<Log> ended = new ConcurrentLinkedQueue<>();
  private final AtomicInteger endedCount = new AtomicInteger();

  public EventHistory(Vertx vertx) {
    this(vertx, DEFAULT_CAPACITY, DEFAULT_RETAIN_MS, DEFAULT_MAX_ENDED);
  }

  public EventHistory(Vertx vertx, int capacity, long retainMs, int maxEnded) {
    if (capacity < 1 || retainMs < 1 || maxEnded < 1) {
      throw new IllegalArgumentException("capacity, retainMs and maxEnded must be positive");
    }
    this.vertx = vertx;
    this.capacity = capacity;
    this.retainMs = retainMs;
    this.maxEnded = maxEnded;
  }

  /** Keeps {@code event} (which carries its transfer's {@code id} and {@code seq}) as its transfer's latest. */
  public void record(JsonObject event) {
    String id = event.getString("id");
    logs.computeIfAbsent(id, Log::new).add(event, capacity);
  }

  /** The transfer's last event is recorded: its history goes some time from now. */
  public void ended(String id) {
    Log log = logs.get(id);
    if (log == null || !log.end()) {
      return;
    }
    ended.add(log);
    vertx.setTimer(retainMs, t -> drop(log));
    if (endedCount.incrementAndGet() > maxEnded) {
      Log oldest = ended.peek();
      if (oldest != null) {
        drop(oldest);
      }
    }
  }

  private void drop(Log log) {
    if (ended.remove(log)) {
      endedCount.decrementAndGet();
      logs.remove(log.id, log);
    }
  }

  /** @return the events of transfer {@code request.id()} after {@code request.after()}, as far as they are held */
  public HistoryReply after(HistoryRequest request) {
    Log log = logs.get(request.id());
    return log == null ? HistoryReply.unknown(request.id()) : log.after(request.id(), request.after());
  }

  /** The transfers with a history here, for tests. */
  int size() {
    return logs.size();
  }

  private static final class Log {

    final String id;
    private final ArrayDeque<JsonObject> events = new ArrayDeque<>();
    private boolean ended;

    Log(String id) {
      this.id = id;
    }

    synchronized void add(JsonObject event, int capacity) {
      if (events.size() == capacity) {
        events.removeFirst();
      }
      events.addLast(event);
    }

    /** @return whether the log was still open */
    synchronized boolean end() {
      boolean was = ended;
      ended = true;
      return !was;
    }

    synchronized HistoryReply after(String id, long seq) {
      List<JsonObject> out = new ArrayList<>();
      for (JsonObject e : events) {
        if (e.getLong("seq", 0L) > seq) {
          out.add(e);
        }
      }
      long first = events.isEmpty() ? 0 : events.peekFirst().getLong("seq", 0L);
      long last = events.isEmpty() ? 0 : events.peekLast().getLong("seq", 0L);
      return new HistoryReply(id, true, first, last, ended, out);
    }
  }
}
