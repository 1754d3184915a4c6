package io.xfernode.element;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One running element of one transfer, hosted by its own verticle. The engine calls, in order and always
 * on that verticle's context: {@link #setup} once; {@link #start} once if every element set up; then
 * either {@link #commit} (the whole transfer succeeded) or {@link #cancel} (anything failed or the user
 * cancelled, possibly while {@code start} runs); and {@link #release} last, in every case.
 *
 * <p>An element never blocks its event loop: blocking work goes through
 * {@link ElementContext#blocking}. It reports bytes through {@link ElementContext#progress}.
 */
public abstract class Element {

  /**
   * Opens what the element needs (files, listeners) and checks what only this node can check (roots,
   * allow-lists, existing files). Fails with an {@code XferException} carrying the SPEC's code.
   */
  public Future<Void> setup(ElementContext ctx) {
    return Future.succeededFuture();
  }

  /**
   * Moves the bytes. The future completes when this element has done its whole part: for a sink, when
   * every byte is written.
   */
  public abstract Future<Void> start(ElementContext ctx);

  /** Makes the result durable, once every element has finished (e.g. the file sink's rename). */
  public Future<Void> commit(ElementContext ctx) {
    return Future.succeededFuture();
  }

  /**
   * Whether {@link #commit} has anything to do: true for an element class that overrides it. A node whose
   * elements all say false gets no COMMIT; it releases them as soon as they are all done, which spares a
   * short transfer a round trip to every such node.
   */
  public boolean commits() {
    return OVERRIDES_COMMIT.get(getClass());
  }

  private static final ClassValue<Boolean> OVERRIDES_COMMIT = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      try {
        return type.getMethod("commit", ElementContext.class).getDeclaringClass() != Element.class;
      } catch (NoSuchMethodException e) {
        return true; // cannot tell: commit, to be safe
      }
    }
  };

  /**
   * Stops promptly and undoes what must not remain (e.g. a partial file); never blocks. The engine has
   * already failed the element's links, which wakes anything waiting on them.
   */
  public void cancel(ElementContext ctx, Throwable reason) {
  }

  /** Releases every resource. Called once, last, whatever happened. */
  public Future<Void> release(ElementContext ctx) {
    return Future.succeededFuture();
  }

  /** What this element reports when it is done, e.g. {@code {"checksum": {"algorithm", "value"}}}. */
  public JsonObject result() {
    return new JsonObject();
  }
}
