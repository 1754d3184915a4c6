package io.xfernode.link;

import io.xfernode.element.Mechanism;

/**
 * What joins two neighbouring elements on one node: one object per mechanism, shared by both sides and
 * safe to use from both of their threads. It carries no bytes itself unless it is a {@link Ring}.
 */
public interface Link {

  Mechanism mechanism();

  /** Fails the link: wakes and fails both sides. Called on cancel; idempotent. */
  void fail(Throwable cause);
}
