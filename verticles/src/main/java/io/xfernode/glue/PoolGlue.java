package io.xfernode.glue;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.filter.Digests;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Sender;
import io.xfernode.pool.Pools;

/**
 * What the four glues at either end of a pool hop share: their step's options ({@code pool},
 * {@code streams}, {@code checksum}, {@code resume}), their description in plans, and how each end's
 * result names the checksum it computed ({@code side}: out where the bytes leave, in where they land).
 */
abstract class PoolGlue extends GlueBase {

  PoolGlue(Mechanism in, Mechanism out, Cost cost, String description) {
    super(in, out, cost, description);
  }

  @Override
  public String describe(JsonObject options) {
    String pool = options.getString("pool", "default");
    int streams = options.getInteger("streams", 1);
    String checksum = options.getString("checksum");
    return description() + "; pool \"" + pool + "\", " + streams + (streams == 1 ? " stream" : " streams")
      + (checksum == null ? "" : ", " + checksum + " verified at the hop")
      + (options.getBoolean("resume", false) ? ", resumable" : "")
      + (options.getLong("rate", 0L) > 0 ? ", at most " + options.getLong("rate") + " bytes/s" : "");
  }

  /** The pools of this node and the hop's link, or a 503 when the node has none. */
  static Pools pools(ElementContext ctx) {
    if (ctx.pools() == null || ctx.poolLink() == null) {
      throw new XferException(ErrorCode.UNAVAILABLE, "node " + ctx.env().nodeId() + " has no pools");
    }
    return ctx.pools();
  }

  static PoolLink link(ElementContext ctx) {
    pools(ctx);
    return ctx.poolLink();
  }

  /** The result of a hop's end: the checksum it computed, and which side it is. */
  static JsonObject hopResult(String checksum, String side, String verified) {
    return hopResult(checksum, side, verified, null);
  }

  /**
   * @param sender the sending end, whose bytes sent and skipped (held by the receiver already) the result
   *               reports; null on the receiving side
   */
  static JsonObject hopResult(String checksum, String side, String verified, Sender sender) {
    JsonObject result = new JsonObject().put("side", side);
    if (sender != null) {
      result.put("sent", sender.sent()).put("skipped", sender.skipped());
    }
    if (checksum != null && !checksum.isEmpty()) {
      int colon = checksum.indexOf(':');
      JsonObject c = Digests.json(checksum.substring(0, colon), checksum.substring(colon + 1));
      if (verified != null) {
        c.put("verified", verified);
      }
      result.put("checksum", c);
    }
    return result;
  }
}
