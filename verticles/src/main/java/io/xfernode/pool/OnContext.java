package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** Runs work on a given context: at once when already on it, else as a task of it. */
final class OnContext {

  private OnContext() {
  }

  static void run(Context context, Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }
}
