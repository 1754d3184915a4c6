package io.xfernode.link;

import java.io.IOException;

/**
 * A file sink's restart markers (SPEC 5, resume): the ranges of its partial file that are durably written,
 * kept next to it between attempts. The glue that writes the file by offset reports what it wrote; the
 * markers record it only once it is on disk.
 */
public interface RestartMarkers {

  /**
   * @param total  the transfer's length, or -1
   * @param source what identifies the bytes (a file's size and modification time)
   * @return the ranges held from an earlier attempt at the same source; none when the source differs, in
   *         which case what the file held is written over. Never blocks: a receiver calls it on its
   *         connection's context
   */
  RangeSet resume(long total, String source);

  /** Records that {@code [start, end)} was written; called on the writer's thread. */
  void written(long start, long end) throws IOException;
}
