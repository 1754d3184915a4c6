package io.xfernode.glue;

import io.xfernode.element.Mechanism;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every conversion the planner may insert, by (input, output) mechanism. Every ordered pair of distinct
 * mechanisms among PUSH, PULL, CHANNEL, TCP_LISTEN and TCP_CONNECT has one, and CHANNEL→CHANNEL has one
 * too: two channels are both passive, so something must move the bytes between them. POOL is joined from
 * and to PUSH and CHANNEL; the planner reaches it from any other mechanism through one of those.
 */
public final class GlueTable {

  private final Map<Mechanism, Map<Mechanism, Glue>> table = new EnumMap<>(Mechanism.class);

  private GlueTable(Collection<? extends Glue> glues) {
    for (Glue g : glues) {
      if (table.computeIfAbsent(g.in(), k -> new EnumMap<>(Mechanism.class)).putIfAbsent(g.out(), g) != null) {
        throw new IllegalStateException("two glues for " + g.in() + "→" + g.out());
      }
    }
  }

  /** The glue xfernode ships. */
  public static GlueTable standard() {
    Mechanism listen = Mechanism.TCP_LISTEN;
    Mechanism connect = Mechanism.TCP_CONNECT;
    return new GlueTable(List.of(
      new PushToPull(), new PushToChannel(), SocketGlue.to(listen), SocketGlue.to(connect),
      new PullToPush(), new PullToChannel(), new ComposedGlue(new PullToPush(), SocketGlue.to(listen)),
      new ComposedGlue(new PullToPush(), SocketGlue.to(connect)),
      new ChannelToPush(), new ChannelToPull(), new ChannelToChannel(), new FileToSocket(listen),
      new FileToSocket(connect),
      SocketGlue.from(listen), new ComposedGlue(SocketGlue.from(listen), new PushToPull()),
      new ComposedGlue(SocketGlue.from(listen), new PushToChannel()),
      new ComposedGlue(SocketGlue.from(listen), SocketGlue.to(connect)),
      SocketGlue.from(connect), new ComposedGlue(SocketGlue.from(connect), new PushToPull()),
      new ComposedGlue(SocketGlue.from(connect), new PushToChannel()),
      new ComposedGlue(SocketGlue.from(connect), SocketGlue.to(listen)),
      new PushToPool(), new PoolToPush(), new ChannelToPool(), new PoolToChannel()));
  }

  public static GlueTable of(Collection<? extends Glue> glues) {
    return new GlueTable(glues);
  }

  /** @return the glue from {@code in} to {@code out}, or {@code null} if there is none */
  public Glue find(Mechanism in, Mechanism out) {
    return table.getOrDefault(in, Collections.emptyMap()).get(out);
  }

  /** @return every glue, ordered by input then output mechanism */
  public List<Glue> all() {
    return table.values().stream().flatMap(m -> m.values().stream()).toList();
  }
}
