package io.xfernode.element;

/**
 * How bytes move between two neighbouring elements (SPEC 1.1). A link between an upstream element whose
 * output is {@code M} and a downstream element whose input is {@code M} works as follows.
 */
public enum Mechanism {

  /**
   * The upstream writes buffers into a bounded ring on its event loop (a {@code WriteStream}, respecting
   * {@code writeQueueFull}); the downstream reads them as a {@code ReadStream} on its own event loop.
   */
  PUSH,

  /** The downstream pulls the next buffer from the upstream with a blocking call, on its own worker thread. */
  PULL,

  /**
   * Both sides expose a {@code java.nio} channel: the upstream a readable one, the downstream a writable
   * one. Neither drives, so a glue element always moves the bytes, by {@code transferTo} where it can.
   */
  CHANNEL,

  /** The downstream listens for a TCP connection and publishes its address; the upstream connects to it. */
  TCP_LISTEN,

  /** The upstream listens for a TCP connection and publishes its address; the downstream connects to it. */
  TCP_CONNECT,

  /**
   * A hop between nodes over the shared connections of a pool (SPEC 1.5): the upstream glue sends into
   * the pool, the downstream glue receives from it. No element offers it; only glue joins it.
   */
  POOL;

  /** @return whether two elements on different nodes can be joined by this mechanism */
  public boolean crossesNodes() {
    return this == TCP_LISTEN || this == TCP_CONNECT || this == POOL;
  }

  /** @return whether an upstream output and a downstream input of this mechanism join without glue */
  public boolean joinsDirectly() {
    return this != CHANNEL && this != POOL;
  }
}
