package io.xfernode.link;

/**
 * What a file source offers with its channel so that whoever reads it can tell a file that changed while
 * it was read from any other failure (SPEC 5: that is a 409 naming the source's path, never DONE).
 * Blocking: call it off the event loop.
 */
@FunctionalInterface
public interface SourceCheck {

  /** @throws io.xfernode.api.XferException 409 naming the source's field when the file changed */
  void verify() throws java.io.IOException;
}
