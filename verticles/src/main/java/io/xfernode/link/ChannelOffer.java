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
 */
public record ChannelOffer(Channel channel, long position, long count, RestartMarkers markers) {

  public ChannelOffer(Channel channel, long position, long count) {
    this(channel, position, count, null);
  }

  public static ChannelOffer of(Channel channel) {
    return new ChannelOffer(channel, 0, -1);
  }

  public boolean isFile() {
    return channel instanceof FileChannel;
  }
}
