package io.xfernode.test;

import io.vertx.core.VertxOptions;

import java.util.concurrent.TimeUnit;

/**
 * Vert.x options for tests: the blocked-thread checker looks often. It catches an event loop kept busy
 * (a long loop, a hog) for {@value #MAX_EVENT_LOOP_MILLIS} ms; a blocking call, however short, is
 * {@link NoBlockingCalls}'s to catch. The limit stays above what a scheduler stall on a loaded 2-core
 * machine adds to a short handler (725 ms was seen with 500), so that it reports only handlers.
 */
public final class TestVertx {

  /** An event loop busy for longer than this is reported, and {@link NoBlockedThreads} fails the class. */
  public static final long MAX_EVENT_LOOP_MILLIS = 2000;

  private TestVertx() {
  }

  public static VertxOptions options() {
    return new VertxOptions()
      .setBlockedThreadCheckInterval(200).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
      .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS);
  }
}
