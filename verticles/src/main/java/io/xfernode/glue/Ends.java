package io.xfernode.glue;

import io.vertx.core.buffer.Buffer;
import io.xfernode.element.ElementContext;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.PullSource;

import java.io.IOException;

/** The ends a blocking glue loop reads from and writes to, one per mechanism. */
final class Ends {

  private Ends() {
  }

  static PullSource pushInput(ElementContext ctx) {
    return ctx::takeInput;
  }

  static PullSource channelInput(ElementContext ctx) throws IOException {
    return Copy.reader(ctx.inputChannel(), ctx.env().chunkSize());
  }

  static ByteSink pushOutput(ElementContext ctx) {
    return new ByteSink() {
      @Override
      public void write(Buffer buffer) throws InterruptedException {
        ctx.putOutput(buffer);
      }

      @Override
      public void finish() {
        ctx.endOutput();
      }
    };
  }

  static ByteSink channelOutput(ElementContext ctx) {
    return Copy.writer((java.nio.channels.WritableByteChannel) ctx.outputChannel().channel());
  }
}
