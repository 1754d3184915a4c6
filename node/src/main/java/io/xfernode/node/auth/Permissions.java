package io.xfernode.node.auth;

import io.xfernode.api.Access;
import io.xfernode.api.Addresses;

/**
 * The role each public address needs (SPEC 2.5): reading (status, list, nodes, listeners, plan, pools'
 * list, events) needs {@code read}; starting and cancelling transfers, and feeding an {@code eventbus}
 * source, need {@code submit}. Defining and removing pools needs {@code admin}, which {@code xfer.pools}
 * checks itself, as it depends on the request's {@code op}.
 */
public final class Permissions {

  private static final java.util.regex.Pattern DATA = java.util.regex.Pattern.compile(Addresses.DATA_REGEX);
  private static final java.util.regex.Pattern EVENTS = java.util.regex.Pattern.compile(Addresses.PUBLIC_EVENTS_REGEX);
  private static final java.util.regex.Pattern CLIENT = java.util.regex.Pattern.compile(Addresses.CLIENT_REGEX);

  private Permissions() {
  }

  /** Whether a bridge client may send (or publish) to {@code address} at all (SPEC 2.1: public addresses only). */
  public static boolean sendable(String address) {
    return Addresses.PUBLIC_REQUESTS.contains(address) || DATA.matcher(address).matches();
  }

  /** Whether a bridge client may listen on {@code address} at all. */
  public static boolean receivable(String address) {
    return EVENTS.matcher(address).matches() || CLIENT.matcher(address).matches();
  }

  /** What a client needs to send (or publish) to {@code address}. */
  public static Access toSend(String address) {
    if (Addresses.SUBMIT.equals(address) || Addresses.CANCEL.equals(address)
      || (address != null && address.startsWith(Addresses.DATA_PREFIX))) {
      return Access.SUBMIT;
    }
    return Access.READ;
  }

  /** What a client needs to listen on {@code address} (events, an {@code eventbus} sink's chunks). */
  public static Access toReceive(String address) {
    return Access.READ;
  }
}
