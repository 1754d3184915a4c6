package io.xfernode.file;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.link.RangeSet;
import io.xfernode.link.RestartMarkers;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A partial file's restart markers (SPEC 5), in a small file next to it: the transfer's length, what
 * identifies its source, and the ranges of the file that are on disk. A range is recorded only after the
 * file was forced to disk, at most every {@value #EVERY_BYTES} bytes or {@value #EVERY_MS} ms, so the
 * markers never claim bytes a crash could lose.
 *
 * <p>The markers file is read when the sink sets up (off the event loop); {@link #resume} only compares,
 * so a receiver may call it on its connection's context; writing happens on the writer's thread.
 */
final class Markers implements RestartMarkers {

  static final long EVERY_BYTES = 64L << 20;
  static final long EVERY_MS = 1000;
  static final int VERSION = 1;

  private final Path file;
  private final FileChannel part;
  private final Path partPath;
  private final long loadedTotal;
  private final String loadedSource;
  private final RangeSet loaded = new RangeSet();
  private final RangeSet durable = new RangeSet();
  private final RangeSet written = new RangeSet();
  private boolean engaged;
  private boolean saved;
  private long total = -1;
  private String source = "";
  private long unsaved;
  private long savedAt = System.currentTimeMillis();

  /**
   * Reads the markers of {@code part}, if it has any that fit it. Blocking.
   *
   * @param file     where the markers are kept
   * @param partPath the partial file {@code part} writes
   */
  Markers(Path file, FileChannel part, Path partPath) throws IOException {
    this.file = file;
    this.part = part;
    this.partPath = partPath;
    JsonObject json = read(file);
    long size = part.size();
    this.loadedTotal = json == null ? -2 : json.getLong("total", -2L);
    this.loadedSource = json == null ? "" : json.getString("source", "");
    if (json != null) {
      JsonArray ranges = json.getJsonArray("ranges", new JsonArray());
      for (int i = 0; i < ranges.size(); i++) {
        JsonArray r = ranges.getJsonArray(i);
        long start = r.getLong(0);
        long end = r.getLong(1);
        if (start >= 0 && start < end && end <= size && (loadedTotal < 0 || end <= loadedTotal)) {
          loaded.add(start, end);
        }
      }
    }
  }

  private static JsonObject read(Path file) {
    try {
      if (!Files.exists(file)) {
        return null;
      }
      JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
      return json.getInteger("v", 0) == VERSION ? json : null;
    } catch (IOException | RuntimeException e) {
      return null; // unreadable markers hold nothing
    }
  }

  /** The bytes the markers file says the partial file holds, before this attempt. */
  long loadedBytes() {
    return loaded.size();
  }

  @Override
  public synchronized RangeSet resume(long total, String source) {
    this.engaged = true;
    this.total = total;
    this.source = source;
    RangeSet held = new RangeSet();
    if (!source.isEmpty() && source.equals(loadedSource) && total == loadedTotal) {
      long[] flat = loaded.toArray();
      for (int i = 0; i < flat.length; i += 2) {
        held.add(flat[i], flat[i + 1]);
        durable.add(flat[i], flat[i + 1]);
        written.add(flat[i], flat[i + 1]);
      }
    }
    // otherwise what the file holds came from another source, or from none known: it is written over, and
    // the file is cut to the transfer's length at commit
    return held;
  }

  @Override
  public synchronized void written(long start, long end) throws IOException {
    written.add(start, end);
    unsaved += end - start;
    if (!saved) {
      save(); // at once, so that markers of another source never outlive this attempt's first write
    } else if (unsaved >= EVERY_BYTES || System.currentTimeMillis() - savedAt >= EVERY_MS) {
      flush();
    }
  }

  /** Whether a receiver used the markers in this attempt. */
  synchronized boolean engaged() {
    return engaged;
  }

  /** The transfer's length a receiver gave, or -1. */
  synchronized long total() {
    return total;
  }

  /**
   * Forces what was written to disk, then records it; through a handle of its own when the writer's was
   * closed (a writer interrupted by a cancel closes it).
   */
  synchronized void flush() throws IOException {
    if (!engaged) {
      return;
    }
    if (part.isOpen()) {
      part.force(false);
    } else {
      try (FileChannel again = FileChannel.open(partPath, StandardOpenOption.WRITE)) {
        again.force(false);
      }
    }
    long[] flat = written.toArray();
    for (int i = 0; i < flat.length; i += 2) {
      durable.add(flat[i], flat[i + 1]);
    }
    save();
  }

  /** The bytes on disk, as recorded. */
  synchronized long durableBytes() {
    return durable.size();
  }

  private void save() throws IOException {
    JsonArray ranges = new JsonArray();
    long[] flat = durable.toArray();
    for (int i = 0; i < flat.length; i += 2) {
      ranges.add(new JsonArray().add(flat[i]).add(flat[i + 1]));
    }
    JsonObject json = new JsonObject().put("v", VERSION).put("total", total).put("source", source)
      .put("ranges", ranges);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, json.encode(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    saved = true;
    unsaved = 0;
    savedAt = System.currentTimeMillis();
  }
}
