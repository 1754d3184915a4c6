package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.element.ElementRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a spec's parts imply for the whole transfer. */
class TransferSpecTest {

  private static final ElementRegistry REGISTRY = ElementRegistry.load();

  @Test
  void a_file_sink_that_asks_to_resume_makes_the_transfer_resumable() {
    TransferSpec spec = TransferSpec.parse(new JsonObject().put("id", "r1").put("source", "file:///data/in.bin")
      .put("sink", new JsonObject().put("type", "file").put("path", "data/out.bin").put("resume", true)),
      REGISTRY, "n0");
    // its hop keeps restart markers and the id may be resubmitted, as with options.resume
    assertThat(spec.options().resume()).isTrue();
    TransferSpec plain = TransferSpec.parse(new JsonObject().put("id", "r2").put("source", "file:///data/in.bin")
      .put("sink", "file:///data/out.bin"), REGISTRY, "n0");
    assertThat(plain.options().resume()).isFalse();
  }
}
