package io.xfernode.api;

import java.util.List;

/** Every event-bus address xfernode uses, in one place. Only {@link #PUBLIC} ones cross a bridge. */
public final class Addresses {

  public static final String SUBMIT = "xfer.submit";
  public static final String PLAN = "xfer.plan";
  public static final String STATUS = "xfer.status";
  public static final String LIST = "xfer.list";
  public static final String CANCEL = "xfer.cancel";
  public static final String NODES = "xfer.nodes";
  public static final String POOLS = "xfer.pools";
  public static final String LISTENERS = "xfer.listeners";
  /** Published: every transfer's state changes. */
  public static final String EVENTS = "xfer.events";
  /** Published: every event of one transfer is sent to {@code xfer.events.<id>}. */
  public static final String EVENTS_PREFIX = "xfer.events.";

  /** The request/reply addresses a bridge client may send to. */
  public static final List<String> PUBLIC_REQUESTS = List.of(SUBMIT, PLAN, STATUS, LIST, CANCEL, NODES, POOLS,
    LISTENERS);

  /** A regular expression for the published event addresses a bridge client may listen to. */
  public static final String PUBLIC_EVENTS_REGEX = "xfer\\.events(\\.[A-Za-z0-9._:-]{1,128})?";

  /**
   * The data addresses of {@code eventbus} elements, which clients send chunks and credits to: each holds
   * 128 random bits and is only ever told in the submit's reply and the transfer's status.
   */
  public static final String DATA_PREFIX = "xfer.data.";
  public static final String DATA_REGEX = "xfer\\.data\\.[0-9a-f]{32}";

  /** The addresses clients receive an {@code eventbus} sink's chunks on; they choose the rest of the name. */
  public static final String CLIENT_PREFIX = "xfer.client.";
  public static final String CLIENT_REGEX = "xfer\\.client\\.[A-Za-z0-9._-]{1,128}";

  private Addresses() {
  }

  public static String events(String transferId) {
    return EVENTS_PREFIX + transferId;
  }

  /**
   * The controllers of node {@code nodeId}: every report of every transfer it controls, and the cancel
   * requests for them, arrive here. Internal.
   */
  public static String control(String nodeId) {
    return "xfer.internal.ctl." + nodeId;
  }

  /**
   * The recent events of the transfers whose events node {@code nodeId} publishes: a {@code HistoryRequest}
   * gets a {@code HistoryReply}. Internal.
   */
  public static String history(String nodeId) {
    return "xfer.internal.history." + nodeId;
  }

  /**
   * The engine agent of node {@code nodeId}: it sets up, starts, cancels and commits the elements of every
   * transfer on that node. Internal.
   */
  public static String agent(String nodeId) {
    return "xfer.internal.agent." + nodeId;
  }
}
