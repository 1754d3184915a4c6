package io.xfernode.glue;

import io.vertx.core.Future;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.link.Ring;

import java.util.List;

/**
 * A glue made of two: the first turns the input into PUSH, the second PUSH into the output, through a
 * ring of their own. Both run as one element, on one context; a failure of either stops the other. It is
 * how a direct hop's TCP side meets PULL and CHANNEL: one transport layer, and no socket code twice.
 */
final class ComposedGlue extends GlueBase {

  private final Glue first;
  private final Glue second;

  ComposedGlue(Glue first, Glue second) {
    super(first.in(), second.out(), first.cost().plus(second.cost()), first.description() + "; then "
      + second.description());
    this.first = first;
    this.second = second;
  }

  @Override
  public int buffers() {
    return 1;
  }

  @Override
  public Element create() {
    return new Run(first.create(), second.create());
  }

  private static final class Run extends Element {
    private final Element a;
    private final Element b;
    private Ring ring;
    private ElementContext ca;
    private ElementContext cb;

    Run(Element a, Element b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      ring = new Ring(ctx.bufferBytes());
      ca = ctx.withOutput(ring);
      cb = ctx.withInput(ring);
      return Future.all(a.setup(ca), b.setup(cb)).mapEmpty();
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      Future<Void> fa = a.start(ca).onFailure(ring::fail);
      Future<Void> fb = b.start(cb).onFailure(ring::fail);
      return Future.all(fa, fb).mapEmpty();
    }

    @Override
    public Future<Void> commit(ElementContext ctx) {
      return Future.all(a.commit(ca), b.commit(cb)).mapEmpty();
    }

    @Override
    public boolean commits() {
      return a.commits() || b.commits();
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      if (ring != null) {
        ring.fail(reason);
        a.cancel(ca, reason);
        b.cancel(cb, reason);
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      if (ring == null) {
        return Future.succeededFuture();
      }
      List<Future<Void>> both = List.of(a.release(ca), b.release(cb));
      return Future.join(both).mapEmpty();
    }
  }
}
