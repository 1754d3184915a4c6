package io.xfernode.filter;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.PullSource;

import java.util.List;

/**
 * {@code gzip} filter: compresses the bytes into the gzip format, at {@code level} 1 (fastest) to 9
 * (smallest). Compressing is CPU work, so it runs only over PULL, on the puller's worker thread, never on
 * an event loop.
 */
public final class GzipFilter extends BaseElementType<Integer> {

  public GzipFilter() {
    super("gzip", Role.FILTER, "level");
  }

  public static final int DEFAULT_LEVEL = 6;

  @Override
  public Integer parse(JsonFields f) {
    return f.integer("level", DEFAULT_LEVEL, 1, 9);
  }

  @Override
  public List<MechPair> pairs(Integer level) {
    return List.of(MechPair.filter(Mechanism.PULL, Mechanism.PULL, 1, 0));
  }

  @Override
  public String describe(Integer level) {
    return "compresses the bytes to gzip at level " + level;
  }

  @Override
  public Element create(Integer level) {
    return new PullTransform() {
      private volatile GzipEncoder encoder;

      @Override
      public Future<Void> setup(ElementContext ctx) {
        encoder = new GzipEncoder(level, ctx.env().chunkSize());
        return super.setup(ctx);
      }

      @Override
      protected Buffer next(PullSource in) throws Exception {
        return encoder.next(in);
      }

      @Override
      public Future<Void> release(ElementContext ctx) {
        if (encoder != null) {
          encoder.close();
        }
        return Future.succeededFuture();
      }
    };
  }
}
