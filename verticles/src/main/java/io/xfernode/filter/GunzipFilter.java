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
 * {@code gunzip} filter: decompresses gzip data, concatenated members included. Input that is not gzip
 * fails the transfer with 400. Like {@code gzip}, it runs only over PULL, on the puller's worker thread.
 */
public final class GunzipFilter extends BaseElementType<Void> {

  public GunzipFilter() {
    super("gunzip", Role.FILTER);
  }

  @Override
  public Void parse(JsonFields f) {
    return null;
  }

  @Override
  public List<MechPair> pairs(Void options) {
    return List.of(MechPair.filter(Mechanism.PULL, Mechanism.PULL, 1, 0));
  }

  @Override
  public String describe(Void options) {
    return "decompresses gzip data";
  }

  @Override
  public Element create(Void options) {
    return new PullTransform() {
      private volatile GzipDecoder decoder;

      @Override
      public Future<Void> setup(ElementContext ctx) {
        decoder = new GzipDecoder(ctx.env().chunkSize());
        return super.setup(ctx);
      }

      @Override
      protected Buffer next(PullSource in) throws Exception {
        return decoder.next(in);
      }

      @Override
      public Future<Void> release(ElementContext ctx) {
        if (decoder != null) {
          decoder.close();
        }
        return Future.succeededFuture();
      }
    };
  }
}
