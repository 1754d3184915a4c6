package io.xfernode.node;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Only Vert.x's report of a failed clustered write is quietened; a double completion of ours is not. */
class FailedClusterWriteTest {

  private static IllegalStateException thrown(String message, String... classes) {
    IllegalStateException e = new IllegalStateException(message);
    StackTraceElement[] stack = new StackTraceElement[classes.length];
    for (int i = 0; i < classes.length; i++) {
      stack[i] = new StackTraceElement(classes[i], "m", classes[i] + ".java", i + 1);
    }
    e.setStackTrace(stack);
    return e;
  }

  @Test
  void a_failed_write_on_a_vertx_connection_matches() {
    assertThat(FailedClusterWrite.matches(thrown("Promise already completed", "io.vertx.core.Promise",
      "io.vertx.core.impl.future.FutureImpl", "io.vertx.core.net.impl.DelegatingChannelPromise",
      "io.netty.channel.ChannelOutboundBuffer"))).isTrue();
    // a send of ours that started the write is further down the stack
    assertThat(FailedClusterWrite.matches(thrown("Promise already completed", "io.vertx.core.Promise",
      "io.vertx.core.impl.future.FutureImpl", "io.vertx.core.eventbus.impl.clustered.OutboundConnection",
      "io.vertx.core.eventbus.impl.EventBusImpl", "io.xfernode.transfer.Agent"))).isTrue();
  }

  @Test
  void our_own_frames_above_the_network_another_message_or_another_type_do_not() {
    assertThat(FailedClusterWrite.matches(thrown("Promise already completed", "io.vertx.core.Promise",
      "io.xfernode.transfer.Controller", "io.vertx.core.net.impl.VertxConnection"))).isFalse();
    assertThat(FailedClusterWrite.matches(thrown("Promise already completed", "io.vertx.core.Promise",
      "io.vertx.core.impl.future.FutureBase", "io.netty.util.concurrent.AbstractEventExecutor")))
      .as("the listener run as a task").isTrue();
    assertThat(FailedClusterWrite.matches(thrown("something else", "io.vertx.core.net.impl.VertxConnection")))
      .isFalse();
    assertThat(FailedClusterWrite.matches(new IllegalArgumentException("Promise already completed"))).isFalse();
  }
}
