package io.xfernode.pool;

import io.xfernode.element.Mechanism;
import io.xfernode.link.Link;

/**
 * The POOL link of a hop between nodes, as each end's node sees it: which pool, how many streams, the
 * transfer's token (issued by its controller, never shown in a plan or status) and the nodes at either
 * end. The bytes go through the pool's connections, not through this object.
 */
public final class PoolLink implements Link {

  private final String pool;
  private final int streams;
  private final byte[] token;
  private final String upNode;
  private final String downNode;
  private final String checksum;
  private final boolean resume;
  private final long rate;

  /**
   * @param checksum the algorithm both ends compute and verify at the hop, or null
   * @param resume   whether the receiver keeps what it holds between attempts, and streams retry
   * @param rate     the most bytes per second the sender sends ({@code options.rateLimit}), 0 for no limit
   */
  public PoolLink(String pool, int streams, byte[] token, String upNode, String downNode, String checksum,
                  boolean resume, long rate) {
    this.pool = pool;
    this.streams = streams;
    this.token = token.clone();
    this.upNode = upNode;
    this.downNode = downNode;
    this.checksum = checksum;
    this.resume = resume;
    this.rate = rate;
  }

  public long rate() {
    return rate;
  }

  public String checksum() {
    return checksum;
  }

  public boolean resume() {
    return resume;
  }

  public String pool() {
    return pool;
  }

  public int streams() {
    return streams;
  }

  public byte[] token() {
    return token.clone();
  }

  public String upNode() {
    return upNode;
  }

  public String downNode() {
    return downNode;
  }

  @Override
  public Mechanism mechanism() {
    return Mechanism.POOL;
  }

  @Override
  public void fail(Throwable cause) {
    // nothing waits on this link itself: each glue aborts its own channels when cancelled
  }
}
