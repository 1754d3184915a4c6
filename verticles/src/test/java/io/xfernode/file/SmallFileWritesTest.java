package io.xfernode.file;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.test.StubContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The small files of a tree: one directory's writes one after the other, different directories' at once,
 * each file whole. Read from the blocking calls handed to the node, which this test runs when it chooses.
 */
@org.junit.jupiter.api.Timeout(30)
class SmallFileWritesTest {

  @TempDir
  Path dir;

  /** Holds every blocking call until the test runs it. */
  static final class HeldCalls extends StubContext {
    final List<Callable<?>> held = new ArrayList<>();
    final List<Promise<Object>> results = new ArrayList<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> Future<T> blocking(String what, Callable<T> work) {
      Promise<Object> p = Promise.promise();
      held.add(work);
      results.add(p);
      return (Future<T>) p.future();
    }

    void run(int i) throws Exception {
      results.get(i).complete(held.get(i).call());
    }
  }

  @Test
  void files_of_different_directories_are_written_at_once_and_of_one_directory_in_turn() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    Path b = Files.createDirectory(dir.resolve("b"));
    HeldCalls ctx = new HeldCalls();
    SmallFileWrites writes = new SmallFileWrites(ctx);
    writes.write(a.resolve("1"), "a1".getBytes(), 1_600_000_000_000L);
    writes.write(a.resolve("2"), "a2".getBytes(), 1_600_000_001_000L);
    writes.write(b.resolve("1"), "b1".getBytes(), 1_600_000_002_000L);
    assertThat(ctx.held).as("a/1 and b/1 handed over; a/2 waits for a/1").hasSize(2);
    ctx.run(1);
    assertThat(Files.readString(b.resolve("1"))).isEqualTo("b1");
    assertThat(ctx.held).as("a/2 still waits for a/1").hasSize(2);
    ctx.run(0);
    assertThat(ctx.held).as("a/2 handed over once a/1 is written").hasSize(3);
    ctx.run(2);
    writes.awaitAll();
    assertThat(Files.readString(a.resolve("1"))).isEqualTo("a1");
    assertThat(Files.readString(a.resolve("2"))).isEqualTo("a2");
    assertThat(Files.getLastModifiedTime(a.resolve("2")).toMillis()).isEqualTo(1_600_000_001_000L);
  }

  @Test
  void once_abandoned_nothing_more_is_written_and_what_was_handed_over_has_ended() throws Exception {
    Path a = Files.createDirectory(dir.resolve("a"));
    HeldCalls ctx = new HeldCalls();
    SmallFileWrites writes = new SmallFileWrites(ctx);
    writes.write(a.resolve("1"), "a1".getBytes(), 1_600_000_000_000L);
    writes.write(a.resolve("2"), "a2".getBytes(), 1_600_000_000_000L);
    Thread abandoning = new Thread(writes::abandon);
    abandoning.start();
    // abandon waits for a/1, handed over already: it parks until a/1 ends
    while (abandoning.getState() != Thread.State.WAITING) {
      assertThat(abandoning.isAlive()).as("abandon returned while a/1 was in flight").isTrue();
      Thread.onSpinWait();
    }
    ctx.run(0);
    abandoning.join(10_000);
    assertThat(abandoning.isAlive()).as("abandon returned once a/1 ended").isFalse();
    assertThat(ctx.held).as("a/2 never handed over").hasSize(1);
    assertThat(Files.readString(a.resolve("1"))).isEqualTo("a1");
    assertThat(a.resolve("2")).doesNotExist();
  }
}
