package io.xfernode.file;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.XferException;
import io.xfernode.link.Buffers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The directory stream's codec, without an engine: round trips and hostile entries. */
class TreeArchiveTest {

  @TempDir
  Path dir;

  static byte[] drain(TreeWriter w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Buffer b;
    while ((b = w.pull()) != null) {
      out.writeBytes(b.getBytes());
    }
    return out.toByteArray();
  }

  static DataInputStream stream(byte[] bytes) {
    return new DataInputStream(new java.io.ByteArrayInputStream(bytes));
  }

  @Test
  void the_stream_size_is_known_before_writing_and_entries_come_back_in_order() throws Exception {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/b/x.txt"), "hello");
    Files.writeString(dir.resolve("a/y.txt"), "");
    List<TreeWriter.Entry> entries = TreeWriter.scan(dir);
    byte[] bytes = drain(new TreeWriter(entries, 2, "source.path", n -> { }));
    assertThat((long) bytes.length).isEqualTo(TreeWriter.streamSize(entries));

    DataInputStream in = stream(bytes);
    TreeArchive.readMagic(in, "sink");
    assertThat(TreeArchive.readHeader(in, "sink").path()).isEqualTo("a");
    assertThat(TreeArchive.readHeader(in, "sink").path()).isEqualTo("a/b");
    TreeArchive.Header x = TreeArchive.readHeader(in, "sink");
    assertThat(x.path()).isEqualTo("a/b/x.txt");
    assertThat(x.size()).isEqualTo(5);
    assertThat(new String(in.readNBytes(5))).isEqualTo("hello");
    assertThat(TreeArchive.readHeader(in, "sink").path()).isEqualTo("a/y.txt");
    assertThat(TreeArchive.readHeader(in, "sink")).isNull();
  }

  @Test
  void entries_that_could_leave_the_destination_are_refused() {
    for (String bad : List.of("../x", "/etc/passwd", "a/../../x", "a//b", "./a", "a\\..\\b", "a\0b", "a/")) {
      assertThatThrownBy(() -> TreeArchive.checkPath("sink", bad)).as(bad)
        .isInstanceOfSatisfying(XferException.class, e -> assertThat(e.code()).isEqualTo(400))
        .hasMessageStartingWith("sink: a directory stream entry has an unsafe path");
    }
    TreeArchive.checkPath("sink", "a/b.c/d");
  }

  @Test
  void a_stream_that_is_not_a_tree_or_declares_a_huge_path_is_refused() throws Exception {
    assertThatThrownBy(() -> TreeArchive.readMagic(stream("GZIP".getBytes()), "sink"))
      .hasMessageContaining("not a directory stream");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[]{'F', (byte) 0xff, (byte) 0xff});
    assertThatThrownBy(() -> TreeArchive.readHeader(stream(out.toByteArray()), "sink"))
      .hasMessageContaining("a path of 65535 bytes");
  }

  @Test
  void unpacking_stops_at_garbage_after_the_end_marker() throws Exception {
    Files.writeString(dir.resolve("f"), "x");
    Path src = dir;
    byte[] bytes = drain(new TreeWriter(TreeWriter.scan(src), 64, "source.path", n -> { }));
    byte[] withTail = java.util.Arrays.copyOf(bytes, bytes.length + 3);
    Path into = Files.createDirectory(dir.resolveSibling(dir.getFileName() + "-out"));
    int[] pos = {0};
    assertThatThrownBy(() -> TreeReader.unpack(() -> pos[0]++ == 0 ? Buffers.wrap(withTail, withTail.length) : null,
      into, "sink", new NoProgress()))
      .hasMessageContaining("goes on after its end marker");
  }

  @Test
  void a_stream_that_names_a_file_twice_fails_to_unpack_small_or_large() throws Exception {
    for (int size : new int[]{3, SmallFileWrites.MAX_SIZE + 1}) {
      Path f = Files.write(dir.resolve("twice-" + size), new byte[size]);
      TreeWriter.Entry e = new TreeWriter.Entry("x", false, Files.getLastModifiedTime(f).toMillis(), size, f);
      byte[] bytes = drain(new TreeWriter(List.of(e, e), 64 * 1024, "source.path", n -> { }));
      Path into = Files.createDirectory(dir.resolve("out-" + size));
      int[] pos = {0};
      assertThatThrownBy(() -> TreeReader.unpack(() -> pos[0]++ == 0 ? Buffers.wrap(bytes, bytes.length) : null,
        into, "sink", new NoProgress()))
        .as("a file of %d bytes named twice", size)
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
      assertThat(Files.readAllBytes(into.resolve("x"))).as("the first one, whole").hasSize(size);
    }
  }

  /** The reader reports progress and writes small files through blocking(), here run at once. */
  static final class NoProgress extends io.xfernode.test.StubContext {
    @Override
    public <T> io.vertx.core.Future<T> blocking(String what, java.util.concurrent.Callable<T> work) {
      try {
        return io.vertx.core.Future.succeededFuture(work.call());
      } catch (Exception e) {
        return io.vertx.core.Future.failedFuture(e);
      }
    }
  }
}
