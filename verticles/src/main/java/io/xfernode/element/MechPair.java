package io.xfernode.element;

/**
 * One way an element can run: the mechanism on its input, the one on its output, and what that costs.
 * A source has no input ({@code null}); a sink has no output.
 */
public record MechPair(Mechanism in, Mechanism out, Cost cost) {

  public static MechPair source(Mechanism out, int copies, int threads) {
    return new MechPair(null, out, Cost.of(copies, threads));
  }

  public static MechPair filter(Mechanism in, Mechanism out, int copies, int threads) {
    return new MechPair(in, out, Cost.of(copies, threads));
  }

  public static MechPair sink(Mechanism in, int copies, int threads) {
    return new MechPair(in, null, Cost.of(copies, threads));
  }

  @Override
  public String toString() {
    return (in == null ? "-" : in.name()) + "→" + (out == null ? "-" : out.name()) + " (" + cost + ")";
  }
}
