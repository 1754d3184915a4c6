package io.xfernode.node.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Writes this node's entry in the node directory when something in it changes often (the number of
 * transfers it runs), at most once per {@code intervalMs} and one write at a time, always ending with the
 * latest value. Every transfer used to write the cluster-wide map twice (start and end).
 */
public final class ThrottledInfo {

  private static final Logger log = LoggerFactory.getLogger(ThrottledInfo.class);

  private final Vertx vertx;
  private final NodeDirectory directory;
  private final String nodeId;
  private final long intervalMs;
  private final Supplier<JsonObject> info;
  private boolean dirty;
  private boolean scheduled;
  private boolean closed;
  private long lastWriteMs;

  /** @param info the entry as it is now (a copy), read when it is written */
  public ThrottledInfo(Vertx vertx, NodeDirectory directory, String nodeId, long intervalMs,
                       Supplier<JsonObject> info) {
    this.vertx = vertx;
    this.info = info;
    this.directory = directory;
    this.nodeId = nodeId;
    this.intervalMs = intervalMs;
  }

  /** The entry changed: it is written within {@code intervalMs} (or once the write before ends). */
  public synchronized void changed() {
    dirty = true;
    if (!scheduled && !closed) {
      scheduled = true;
      long wait = Math.max(1, lastWriteMs + intervalMs - System.currentTimeMillis());
      vertx.setTimer(wait, t -> write());
    }
  }

  private void write() {
    synchronized (this) {
      if (closed) {
        scheduled = false;
        return;
      }
      dirty = false;
      lastWriteMs = System.currentTimeMillis();
    }
    directory.update(nodeId, info.get()).onComplete(ar -> {
      if (ar.failed()) {
        log.debug("cannot update this node's directory entry: {}", ar.cause().getMessage());
      }
      synchronized (this) {
        scheduled = false;
        if (dirty) {
          changed();
        }
      }
    });
  }

  /** Writes nothing more: the node is leaving the directory. */
  public synchronized void close() {
    closed = true;
  }
}
