package io.xfernode.plan;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.glue.Glue;
import io.xfernode.glue.GlueTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the cheapest way to run a chain (SPEC 1.1): one mechanism pair per element, and glue wherever two
 * neighbours share no mechanism, or sit on different nodes and so must meet over TCP. The cost of a chain is
 * the sum of its elements' and glues' costs; fewer copies per byte win, then fewer threads, then, for a
 * deterministic choice, the chain whose mechanisms come first in declaration order.
 *
 * <p>It is a dynamic program over the chain: for every mechanism pair of element i it keeps the best way
 * to reach it, so the work grows with the chain's length, not with the number of combinations.
 */
public final class Planner {

  private static final Mechanism[] TCP = {Mechanism.TCP_LISTEN, Mechanism.TCP_CONNECT};

  private final GlueTable glue;

  public Planner(GlueTable glue) {
    this.glue = glue;
  }

  /**
   * Where the chain crosses between nodes over a pool instead of a direct TCP connection: the pool's
   * name, the transfer's parallel streams, the checksum both ends verify at the hop (or null) and whether
   * it resumes, and the rate its sender keeps to (bytes per second, 0 for none); the two glues at the hop
   * carry them in their options.
   */
  public record PoolHop(String pool, int streams, String checksum, boolean resume, long rate) {
    public PoolHop(String pool, int streams) {
      this(pool, streams, null, false, 0);
    }

    JsonObject options() {
      JsonObject o = new JsonObject().put("pool", pool).put("streams", streams);
      if (checksum != null) {
        o.put("checksum", checksum);
      }
      if (rate > 0) {
        o.put("rate", rate);
      }
      return resume ? o.put("resume", true) : o;
    }
  }

  /** One element or glue placed in a candidate chain; {@code options} only for the glues of a pool hop. */
  private record Piece(ChainElement element, MechPair pair, Glue glue, String node, JsonObject options) {
    Piece(ChainElement element, MechPair pair, Glue glue, String node) {
      this(element, pair, glue, node, null);
    }

    Mechanism in() {
      return element != null ? pair.in() : glue.in();
    }

    Mechanism out() {
      return element != null ? pair.out() : glue.out();
    }

    Cost cost() {
      return element != null ? pair.cost() : glue.cost(options == null ? new JsonObject() : options);
    }

    String key() {
      return (in() == null ? "-" : String.valueOf(in().ordinal())) + (out() == null ? "-" : String.valueOf(out().ordinal()));
    }
  }

  /** The best way found to reach some mechanism pair of some element. */
  private record Partial(Cost cost, List<Piece> pieces, String key, long paths) {
    Partial then(List<Piece> more, long morePaths) {
      List<Piece> all = new ArrayList<>(pieces);
      all.addAll(more);
      Cost c = cost;
      StringBuilder k = new StringBuilder(key);
      for (Piece p : more) {
        c = c.plus(p.cost());
        k.append('|').append(p.key());
      }
      return new Partial(c, all, k.toString(), morePaths);
    }

    boolean beats(Partial other) {
      int byCost = cost.compareTo(other.cost);
      return byCost != 0 ? byCost < 0 : key.compareTo(other.key) < 0;
    }
  }

  /** Plans with direct TCP hops between nodes. */
  public Plan plan(List<ChainElement> chain) {
    return plan(chain, null);
  }

  /**
   * @param poolHop how to cross between nodes over a pool, or null for direct TCP connections
   * @throws XferException 400 with the reason when some neighbours cannot be joined
   */
  public Plan plan(List<ChainElement> chain, PoolHop poolHop) {
    if (chain.size() < 2) {
      throw XferException.badRequest("sink", "a transfer needs a source and a sink");
    }
    Map<MechPair, Partial> best = new LinkedHashMap<>();
    ChainElement first = chain.get(0);
    for (MechPair p : valid(first)) {
      Piece piece = new Piece(first, p, null, first.node());
      best.put(p, new Partial(p.cost(), List.of(piece), piece.key(), 1));
    }
    for (int i = 1; i < chain.size(); i++) {
      ChainElement up = chain.get(i - 1);
      ChainElement down = chain.get(i);
      Map<MechPair, Partial> next = new LinkedHashMap<>();
      for (MechPair q : valid(down)) {
        Piece self = new Piece(down, q, null, down.node());
        for (Partial from : best.values()) {
          Mechanism x = from.pieces().get(from.pieces().size() - 1).out();
          for (List<Piece> glues : joins(x, up.node(), q.in(), down.node(), poolHop)) {
            List<Piece> more = new ArrayList<>(glues);
            more.add(self);
            Partial candidate = from.then(more, from.paths());
            Partial current = next.get(q);
            if (current == null || candidate.beats(current)) {
              next.put(q, new Partial(candidate.cost(), candidate.pieces(), candidate.key(),
                candidate.paths() + (current == null ? 0 : current.paths())));
            } else {
              next.put(q, new Partial(current.cost(), current.pieces(), current.key(), current.paths() + candidate.paths()));
            }
          }
        }
      }
      if (next.isEmpty()) {
        throw cannotJoin(up, down, best);
      }
      best = next;
    }
    Partial winner = null;
    long paths = 0;
    for (Partial p : best.values()) {
      paths += p.paths();
      if (winner == null || p.beats(winner)) {
        winner = p;
      }
    }
    return toPlan(winner, paths);
  }

  private static List<MechPair> valid(ChainElement e) {
    List<MechPair> out = new ArrayList<>();
    for (MechPair p : e.pairs()) {
      boolean ok = switch (e.role()) {
        case SOURCE -> p.in() == null && p.out() != null;
        case FILTER -> p.in() != null && p.out() != null;
        case SINK -> p.in() != null && p.out() == null;
      };
      if (ok) {
        out.add(p);
      }
    }
    return out;
  }

  /** Every way to join an output {@code x} on node {@code a} to an input {@code y} on node {@code b}. */
  private List<List<Piece>> joins(Mechanism x, String a, Mechanism y, String b, PoolHop poolHop) {
    List<List<Piece>> ways = new ArrayList<>();
    if (a.equals(b)) {
      if (x == y && x.joinsDirectly()) {
        ways.add(List.of());
      }
      Glue g = glue.find(x, y);
      if (g != null) {
        ways.add(List.of(new Piece(null, null, g, a)));
      }
      return ways;
    }
    if (poolHop != null) {
      return poolJoins(x, a, y, b, poolHop);
    }
    if (x == y && x.crossesNodes()) {
      ways.add(List.of());
    }
    for (Mechanism t : TCP) {
      Glue toT = x == t ? null : glue.find(x, t);
      Glue fromT = y == t ? null : glue.find(t, y);
      boolean upOk = x == t || toT != null;
      boolean downOk = y == t || fromT != null;
      if (upOk && downOk && !(x == t && y == t)) {
        List<Piece> pieces = new ArrayList<>();
        if (toT != null) {
          pieces.add(new Piece(null, null, toT, a));
        }
        if (fromT != null) {
          pieces.add(new Piece(null, null, fromT, b));
        }
        ways.add(pieces);
      }
    }
    return ways;
  }

  /**
   * Every way to take {@code x} on node {@code a} into the pool and out of it as {@code y} on node
   * {@code b}: a glue into POOL straight from {@code x} or through one other mechanism first, and out of
   * POOL straight into {@code y} or through one other mechanism. The costs decide between them.
   */
  private List<List<Piece>> poolJoins(Mechanism x, String a, Mechanism y, String b, PoolHop hop) {
    List<List<Piece>> intos = new ArrayList<>();
    List<List<Piece>> outOfs = new ArrayList<>();
    for (Mechanism m : Mechanism.values()) {
      if (m == Mechanism.POOL) {
        continue;
      }
      Glue into = glue.find(m, Mechanism.POOL);
      if (into != null) {
        Piece hopIn = new Piece(null, null, into, a, hop.options());
        if (m == x) {
          intos.add(List.of(hopIn));
        } else if (glue.find(x, m) != null && !m.crossesNodes()) {
          intos.add(List.of(new Piece(null, null, glue.find(x, m), a), hopIn));
        }
      }
      Glue outOf = glue.find(Mechanism.POOL, m);
      if (outOf != null) {
        Piece hopOut = new Piece(null, null, outOf, b, hop.options());
        if (m == y) {
          outOfs.add(List.of(hopOut));
        } else if (glue.find(m, y) != null && !m.crossesNodes()) {
          outOfs.add(List.of(hopOut, new Piece(null, null, glue.find(m, y), b)));
        }
      }
    }
    List<List<Piece>> ways = new ArrayList<>();
    for (List<Piece> in : intos) {
      for (List<Piece> out : outOfs) {
        List<Piece> way = new ArrayList<>(in);
        way.addAll(out);
        ways.add(way);
      }
    }
    return ways;
  }

  private static XferException cannotJoin(ChainElement up, ChainElement down, Map<MechPair, Partial> reached) {
    Set<String> outs = new LinkedHashSet<>();
    reached.values().forEach(p -> outs.add(p.pieces().get(p.pieces().size() - 1).out().name()));
    String ins = valid(down).stream().map(p -> p.in().name()).distinct().collect(Collectors.joining(", "));
    String where = up.node().equals(down.node()) ? "on node " + up.node() : "from node " + up.node() + " to node " + down.node();
    return XferException.badRequest(down.name(), "cannot join " + up.name() + " (" + up.type().type() + ", outputs "
      + (outs.isEmpty() ? "nothing" : String.join(", ", outs)) + ") to " + down.name() + " (" + down.type().type()
      + ", accepts " + (ins.isEmpty() ? "nothing" : ins) + ") " + where + ": no mechanism or glue joins them");
  }

  private Plan toPlan(Partial winner, long paths) {
    List<Step> steps = new ArrayList<>();
    List<String> explain = new ArrayList<>();
    int glueCount = 0;
    for (Piece p : winner.pieces()) {
      int index = steps.size();
      Step step;
      if (p.element() != null) {
        ChainElement e = p.element();
        step = new Step(index, e.name(), Step.ELEMENT, e.role(), e.type().type(), e.node(), p.in(), p.out(),
          p.cost(), e.json(), e.describe());
      } else {
        step = new Step(index, "glue[" + glueCount++ + "]", Step.GLUE, null, p.glue().name(), p.node(), p.in(),
          p.out(), p.cost(), p.options() == null ? new JsonObject() : p.options().copy(),
          p.glue().describe(p.options() == null ? new JsonObject() : p.options()));
      }
      steps.add(step);
      explain.add(line(step));
    }
    for (int i = 0; i + 1 < steps.size(); i++) {
      Step st = steps.get(i);
      if (st.out() == Mechanism.POOL) {
        int streams = st.options().getInteger("streams", 1);
        explain.add("the bytes cross from node " + st.node() + " to node " + steps.get(i + 1).node() + " over pool \""
          + st.options().getString("pool") + "\" in " + streams + (streams == 1 ? " stream" : " streams")
          + ", on connections the pool shares between transfers"
          + (st.options().getString("checksum") == null ? "" : "; the receiver verifies the "
          + st.options().getString("checksum") + " the sender gives with EOF"));
      }
    }
    Cost cost = winner.cost();
    explain.add("total " + cost + (cost.copies() == 0 ? ", zero-copy" : "") + ": the cheapest of " + paths
      + " possible chain" + (paths == 1 ? "" : "s") + " (fewest copies per byte, then fewest threads)");
    return new Plan(steps, cost, (int) Math.min(Integer.MAX_VALUE, paths), explain);
  }

  private static String line(Step s) {
    String mechs = (s.in() == null ? "" : s.in().name()) + (s.in() != null && s.out() != null ? "→" : "")
      + (s.out() == null ? "" : s.out().name());
    String what = s.isGlue() ? "glue " + s.type() : s.name() + " " + s.type();
    if (s.role() == Role.SOURCE) {
      mechs += " out";
    } else if (s.role() == Role.SINK) {
      mechs += " in";
    }
    return what + " on " + s.node() + ": " + mechs + " (" + s.cost() + "): " + s.describe();
  }
}
