package io.xfernode.test;

import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;

/** Vert.x options for tests: the blocked-thread checker looks often and warns early. */
public final class TestVertx {

  /** An event loop busy for longer than this is reported, and {@link NoBlockedThreads} fails the class. */
  public static final long MAX_EVENT_LOOP_MILLIS = 500;

  private TestVertx() {
  }

  public static VertxOptions options() {
    return new VertxOptions()
      .setBlockedThreadCheckInterval(200).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
  }
}
