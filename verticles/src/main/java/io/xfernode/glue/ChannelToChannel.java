package io.xfernode.glue;

import io.xfernode.element.Cost;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.ChannelOffer;

import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * CHANNEL → CHANNEL: both neighbours only expose channels, so a worker thread moves the bytes with
 * {@code transferTo} (or {@code transferFrom} into a file): the kernel copies, the JVM never sees a byte.
 * Between two channels that are neither files, it falls back to a copying loop.
 */
final class ChannelToChannel extends BlockingGlue {

  ChannelToChannel() {
    super(Mechanism.CHANNEL, Mechanism.CHANNEL, Cost.of(0, 1),
      "a worker thread moves the bytes with transferTo/transferFrom: zero copy in user space");
  }

  @Override
  protected long move(ElementContext ctx) throws Exception {
    ChannelOffer in = ctx.inputChannel();
    ChannelOffer out = ctx.outputChannel();
    if (in.isFile()) {
      return Copy.transferTo(in, (WritableByteChannel) out.channel(), ctx);
    }
    if (out.isFile()) {
      return Copy.transferFrom((ReadableByteChannel) in.channel(), (FileChannel) out.channel(), ctx);
    }
    return Copy.loop(Ends.channelInput(ctx), Ends.channelOutput(ctx), ctx);
  }
}
