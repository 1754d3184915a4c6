package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Element;
import io.xfernode.element.Mechanism;

/**
 * An element the planner inserts between two neighbours that share no mechanism: it takes its input by
 * {@link #in()} and gives its output by {@link #out()}. Each conversion is one small class, listed in the
 * {@link GlueTable}.
 */
public interface Glue {

  Mechanism in();

  Mechanism out();

  Cost cost();

  /** How it converts, for {@code xfer.plan}. */
  String description();

  /** What it costs with the options the planner gives its step (a pool hop's checksum, say). */
  default Cost cost(io.vertx.core.json.JsonObject options) {
    return cost();
  }

  /** How it converts with these options, for {@code xfer.plan}. */
  default String describe(io.vertx.core.json.JsonObject options) {
    return description();
  }

  /** The glue's name in plans: {@code push-to-pull}. */
  default String name() {
    return in().name().toLowerCase().replace('_', '-') + "-to-" + out().name().toLowerCase().replace('_', '-');
  }

  /**
   * The buffers it holds bytes in (a ring, a queue, a window): each gets its share of the node's memory
   * budget when the transfer is set up ({@code ElementContext.bufferBytes()}).
   */
  default int buffers() {
    return 0;
  }

  Element create();
}
