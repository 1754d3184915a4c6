package io.xfernode.file;

import io.vertx.core.json.JsonObject;
import io.xfernode.link.RangeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Restart markers and the partial-file journal: markers hold only what was forced to disk, are used again
 * only for the same source and length, and never claim bytes the file lacks; at start the journal removes
 * what cannot resume and keeps what can.
 */
class MarkersTest {

  @TempDir
  Path dir;

  private FileChannel open(Path part) throws Exception {
    return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  private static void write(FileChannel c, long at, int n) throws Exception {
    c.write(ByteBuffer.allocate(n), at);
  }

  @Test
  void what_was_flushed_is_held_by_the_next_attempt_at_the_same_source() throws Exception {
    Path part = dir.resolve(".x.part");
    Path file = dir.resolve(".x.part.markers");
    try (FileChannel c = open(part)) {
      Markers m = new Markers(file, c, part);
      assertThat(m.resume(1000, "file:a").isEmpty()).as("nothing held the first time").isTrue();
      write(c, 0, 300);
      m.written(0, 300);
      write(c, 500, 100);
      m.written(500, 600);
      m.flush();
      write(c, 300, 100);
      m.written(300, 400); // written after the last flush: not on record yet
    }
    JsonObject saved = new JsonObject(Files.readString(file));
    assertThat(saved.getLong("total")).isEqualTo(1000);
    assertThat(saved.getString("source")).isEqualTo("file:a");

    try (FileChannel c = open(part)) {
      RangeSet held = new Markers(file, c, part).resume(1000, "file:a");
      assertThat(held.toArray()).containsExactly(0, 300, 500, 600);
    }
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(1000, "file:b").isEmpty()).as("another source").isTrue();
    }
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(999, "file:a").isEmpty()).as("another length").isTrue();
    }
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(1000, "").isEmpty()).as("a source that names nothing").isTrue();
    }
  }

  @Test
  void markers_never_claim_bytes_beyond_the_partial_file_or_survive_garbage() throws Exception {
    Path part = dir.resolve(".y.part");
    Path file = dir.resolve(".y.part.markers");
    Files.write(part, new byte[100]);
    Files.writeString(file, "{\"v\":1,\"total\":1000,\"source\":\"s\",\"ranges\":[[0,50],[60,400],[-5,10],[20,10]]}");
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(1000, "s").toArray()).containsExactly(0, 50);
    }
    Files.writeString(file, "{not json");
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(1000, "s").isEmpty()).isTrue();
    }
    Files.writeString(file, "{\"v\":99,\"total\":1000,\"source\":\"s\",\"ranges\":[[0,50]]}");
    try (FileChannel c = open(part)) {
      assertThat(new Markers(file, c, part).resume(1000, "s").isEmpty()).as("another version").isTrue();
    }
  }

  @Test
  void a_flush_after_the_writer_closed_its_handle_still_records_what_it_wrote() throws Exception {
    Path part = dir.resolve(".z.part");
    Path file = dir.resolve(".z.part.markers");
    FileChannel c = open(part);
    Markers m = new Markers(file, c, part);
    m.resume(200, "s");
    write(c, 0, 200);
    m.written(0, 200);
    c.close();
    m.flush();
    try (FileChannel again = open(part)) {
      assertThat(new Markers(file, again, part).resume(200, "s").toArray()).containsExactly(0, 200);
    }
  }

  @Test
  void at_start_the_journal_removes_what_cannot_resume_and_keeps_what_can() throws Exception {
    PartJournal journal = new PartJournal(dir.resolve("state"));
    Path lost = Files.write(dir.resolve(".lost.part"), new byte[10]);
    Path tree = Files.createDirectories(dir.resolve(".tree.part").resolve("sub"));
    Files.write(tree.resolve("f"), new byte[10]);
    Path kept = Files.write(dir.resolve(".kept.part"), new byte[10]);
    Path keptMarkers = Files.writeString(dir.resolve(".kept.part.markers"), "{}");
    journal.add(lost, null, "t1", false);
    journal.add(tree.getParent(), null, "t2", false);
    journal.add(kept, keptMarkers, "t3", true);
    journal.add(dir.resolve(".gone.part"), null, "t4", false);
    Files.writeString(journal.dir().resolve("junk.json"), "[1,2");

    assertThat(journal.cleanUp()).hasSize(2).anyMatch(l -> l.contains(lost.toString()) && l.contains("t1"))
      .anyMatch(l -> l.contains(".tree.part") && l.contains("t2"));
    assertThat(lost).doesNotExist();
    assertThat(tree.getParent()).doesNotExist();
    assertThat(kept).exists();
    assertThat(keptMarkers).exists();
    try (var entries = Files.list(journal.dir())) {
      assertThat(entries).as("one entry left, the resumable one's").hasSize(1);
    }
    journal.remove(kept);
    try (var entries = Files.list(journal.dir())) {
      assertThat(entries).isEmpty();
    }
  }
}
