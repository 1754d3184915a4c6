package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.ElementRegistry;
import io.xfernode.element.Role;
import io.xfernode.plan.ChainElement;

import java.util.ArrayList;
import java.util.List;

/**
 * The chain the planner sees: the user's elements plus those the options ask for. {@code checksum} adds a
 * checksum filter where the bytes land, before the sink, unless a pool hop lies right before the sink: the
 * pool's glues then compute and verify it at the hop. Over a direct hop it adds one where the bytes leave
 * for the sink's node too. {@code rateLimit} adds a throttle before the sink, unless the bytes cross a
 * pool: its sender then keeps to the rate, and a file still crosses by {@code sendfile}.
 */
public final class ChainBuilder {

  /** Computes the checksum of the bytes as they leave for the sink's node. */
  public static final String CHECKSUM_OUT = "checksum-out";
  /** Computes the checksum of the bytes where they land, just before the sink. */
  public static final String CHECKSUM_IN = "checksum-in";
  public static final String RATE_LIMIT = "rate-limit";

  private ChainBuilder() {
  }

  public static List<ChainElement> build(TransferSpec spec, ElementRegistry registry) {
    List<ChainElement> chain = new ArrayList<>(spec.chain());
    ChainElement sink = chain.remove(chain.size() - 1);
    TransferOptions o = spec.options();
    if (o.checksum() != null) {
      JsonObject options = new JsonObject().put("type", "checksum").put("algorithm", o.checksum());
      String lastNode = chain.get(chain.size() - 1).node();
      boolean hopBeforeSink = !lastNode.equals(sink.node());
      if (hopBeforeSink && "direct".equals(o.hop())) {
        chain.add(TransferSpec.parseElement(CHECKSUM_OUT, Role.FILTER, options.copy().put("node", lastNode), registry,
          lastNode));
      }
      // a pool hop right before the sink computes and verifies the checksum itself, so a file can cross
      // without a copy; anywhere else a filter before the sink computes what lands
      if (!hopBeforeSink || "direct".equals(o.hop())) {
        chain.add(TransferSpec.parseElement(CHECKSUM_IN, Role.FILTER, options.copy().put("node", sink.node()), registry,
          sink.node()));
      }
    }
    boolean crosses = spec.chain().stream().anyMatch(e -> !e.node().equals(sink.node()));
    if (o.rateLimit() > 0 && (!crosses || "direct".equals(o.hop()))) {
      chain.add(TransferSpec.parseElement(RATE_LIMIT, Role.FILTER, new JsonObject().put("type", "throttle")
        .put("rate", o.rateLimit()).put("node", sink.node()), registry, sink.node()));
    }
    chain.add(sink);
    return chain;
  }
}
