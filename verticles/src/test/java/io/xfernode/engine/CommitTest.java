package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.test.EngineFixture;
import io.xfernode.test.Leaks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * COMMIT goes only to a node with something to make durable (a file sink's rename). A node without gets
 * none: it releases its elements once they are all done and only then reports them DONE, so a transfer
 * seen DONE holds nothing on any node either way. Read from the control messages the controller sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommitTest {

  private EngineFixture fx;
  private List<JsonObject> commits;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    commits = fx.sent("COMMIT");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @BeforeEach
  void clear() {
    commits.clear();
  }

  @Test
  void a_node_with_nothing_to_commit_gets_no_commit_and_has_released_everything_when_the_transfer_is_done()
    throws Exception {
    for (int i = 0; i < 20; i++) {
      String id = "nothing-" + UUID.randomUUID();
      JsonObject status = fx.run(new JsonObject().put("id", id)
        .put("source", new JsonObject().put("type", "random").put("seed", i).put("length", 100_000))
        .put("sink", new JsonObject().put("type", "digest").put("algorithm", "sha256")));
      assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
      assertThat(status.getLong("bytes")).isEqualTo(100_000);
      // released before DONE was reported, not after: nothing is held once the status says DONE
      assertThat(fx.engine().memory().used()).as("buffers held after DONE").isZero();
      assertThat(fx.engine().streamThreads().reserved()).as("stream threads held after DONE").isZero();
    }
    assertThat(commits).as("COMMIT messages").isEmpty();
  }

  @Test
  void a_file_sink_is_committed_and_its_file_is_in_place_when_the_transfer_is_done() throws Exception {
    String out = "committed-" + UUID.randomUUID() + ".bin";
    String id = "file-" + UUID.randomUUID();
    JsonObject status = fx.run(new JsonObject().put("id", id)
      .put("source", new JsonObject().put("type", "pattern").put("pattern", "xfer").put("length", 4000))
      .put("sink", new JsonObject().put("type", "file").put("path", "data/" + out)));
    assertThat(status.getString("state")).as("%s", status.getJsonObject("error")).isEqualTo("DONE");
    assertThat(commits).as("COMMIT messages").extracting(c -> c.getString("transfer")).containsExactly(id);
    assertThat(Files.readString(fx.path(out))).isEqualTo("xfer".repeat(1000));
    assertThat(Leaks.fdsUnder(fx.root())).as("files still open once the transfer ended").isEmpty();
    assertThat(fx.engine().memory().used()).isZero();
  }
}
