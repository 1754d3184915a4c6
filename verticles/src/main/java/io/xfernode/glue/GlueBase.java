package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;

/** What every glue declares: its two mechanisms, its cost and how it converts. */
abstract class GlueBase implements Glue {

  final Mechanism in;
  final Mechanism out;
  private final Cost cost;
  private final String description;

  GlueBase(Mechanism in, Mechanism out, Cost cost, String description) {
    this.in = in;
    this.out = out;
    this.cost = cost;
    this.description = description;
  }

  @Override
  public Mechanism in() {
    return in;
  }

  @Override
  public Mechanism out() {
    return out;
  }

  @Override
  public Cost cost() {
    return cost;
  }

  @Override
  public String description() {
    return description;
  }
}
