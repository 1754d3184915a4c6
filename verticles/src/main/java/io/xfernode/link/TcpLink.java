package io.xfernode.link;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.element.Mechanism;

/**
 * TCP_LISTEN or TCP_CONNECT: one side listens and publishes its address (in READY); the other side gets
 * the address (through START, possibly from another node) and connects.
 */
public final class TcpLink implements Link {

  private final Mechanism mechanism;
  private final Promise<Endpoint> address = Promise.promise();

  public TcpLink(Mechanism mechanism) {
    if (!mechanism.crossesNodes()) {
      throw new IllegalArgumentException(mechanism + " is not a TCP mechanism");
    }
    this.mechanism = mechanism;
  }

  @Override
  public Mechanism mechanism() {
    return mechanism;
  }

  /** Called by the listening side once it listens, or by the host with the address from START. */
  public void listening(Endpoint where) {
    address.tryComplete(where);
  }

  /** The listening side's address, once known. */
  public Future<Endpoint> address() {
    return address.future();
  }

  @Override
  public void fail(Throwable cause) {
    address.tryFail(cause);
  }
}
