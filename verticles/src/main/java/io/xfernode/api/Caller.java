package io.xfernode.api;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Who sent a control request. The node's edges (HTTP, the TCP bridge, SockJS) prove a client's token and
 * stamp the request with the token's name and role in two headers, after removing any such headers the
 * client sent; code inside the cluster (a verticle on a node) sends without them and is trusted.
 *
 * @param name   the token's name ({@code submittedBy} in a status); {@code null} inside the cluster
 * @param access what the token may do
 */
public record Caller(String name, Access access) {

  /** The header carrying the token's name. */
  public static final String NAME_HEADER = "xfer-caller";
  /** The header carrying the token's role. */
  public static final String ACCESS_HEADER = "xfer-access";
  /** Headers with this prefix are the node's own; an edge drops any a client sent. */
  public static final String RESERVED_PREFIX = "xfer-";

  /** Code running inside the cluster. */
  public static final Caller CLUSTER = new Caller(null, Access.ADMIN);

  /** @return the caller a request's headers name; {@link #CLUSTER} when they name none */
  public static Caller of(MultiMap headers) {
    String access = headers == null ? null : headers.get(ACCESS_HEADER);
    if (access == null) {
      return CLUSTER;
    }
    Access a = Access.parse(access);
    // a stamp the edges never write: trust it with nothing
    return new Caller(headers.get(NAME_HEADER), a == null ? Access.READ : a);
  }

  /** Adds this caller's stamp to {@code options}. */
  public DeliveryOptions stamp(DeliveryOptions options) {
    if (name != null) {
      options.addHeader(NAME_HEADER, name);
    }
    return options.addHeader(ACCESS_HEADER, access.label());
  }

  /** @throws XferException 403 naming {@code field} unless this caller's role includes {@code needed} */
  public void require(Access needed, String field, String what) {
    if (!access.includes(needed)) {
      throw XferException.forbidden(field, "token " + describe() + " has role " + access.label() + "; " + what
        + " needs " + needed.label());
    }
  }

  /** @return whether this caller may cancel a transfer {@code submittedBy} started */
  public boolean mayCancel(String submittedBy) {
    return access.includes(Access.ADMIN) || (access.includes(Access.SUBMIT) && name != null && name.equals(submittedBy));
  }

  public String describe() {
    return name == null ? "(cluster)" : "\"" + name + "\"";
  }
}
