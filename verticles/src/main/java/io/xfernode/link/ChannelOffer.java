package io.xfernode.link;

import java.nio.channels.Channel;
import java.nio.channels.FileChannel;

/**
 * A channel one side of a CHANNEL link exposes to the glue that drives it.
 *
 * @param channel  a {@code ReadableByteChannel} (offered by an upstream) or {@code WritableByteChannel}
 *                 (offered by a downstream)
 * @param position where to start reading or writing, for a {@link FileChannel}; ignored otherwise
 * @param count    how many bytes to read, or -1 for all; ignored for a writable channel
 * @param markers  a writable file's restart markers, with resume; otherwise null
 * @param check    a readable file's check that it did not change while it was read; otherwise null
 */
public record ChannelOffer(Channel channel, long position, long count, RestartMarkers markers, SourceCheck check) {

  public ChannelOffer(Channel channel, long position, long count) {
    this(channel, position, count, null, null);
  }

  /** A readable file's offer, with how to tell that it changed while it was read. */
  public ChannelOffer(Channel channel, long position, long count, SourceCheck check) {
    this(channel, position, count, null, check);
  }

  /** A writable file's offer, with its restart markers. */
  public ChannelOffer(Channel channel, RestartMarkers markers) {
    this(channel, 0, -1, markers, null);
  }

  /**
   * For a reader that met the end too early: the source's own verdict (a 409 when the file changed), or
   * nothing when it cannot tell.
   */
  public void verifySource() throws java.io.IOException {
    if (check != null) {
      check.verify();
    }
  }

  public static ChannelOffer of(Channel channel) {
    return new ChannelOffer(channel, 0, -1);
  }

  public boolean isFile() {
    return channel instanceof FileChannel;
  }
}
