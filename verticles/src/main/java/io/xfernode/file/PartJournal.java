package io.xfernode.file;

import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The partial files a node's file sinks are writing, one small entry each under the node's state
 * directory. A transfer that ends removes its entry; after a crash, the node removes at start the partial
 * files of the transfers that cannot resume (SPEC 5: after a failure nothing is left at the destination)
 * and keeps those that can, with their restart markers. Blocking: use it off the event loop.
 */
public final class PartJournal {

  private static final Logger log = LoggerFactory.getLogger(PartJournal.class);

  private final Path dir;

  public PartJournal(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Notes that {@code part} (with its {@code markers} file, if any) is being written by {@code transfer}. */
  public void add(Path part, Path markers, String transfer, boolean resume) throws IOException {
    JsonObject entry = new JsonObject().put("part", part.toString()).put("transfer", transfer).put("resume", resume);
    if (markers != null) {
      entry.put("markers", markers.toString());
    }
    Path tmp = dir.resolve(key(part) + ".tmp");
    Files.writeString(tmp, entry.encode(), StandardCharsets.UTF_8);
    Files.move(tmp, dir.resolve(key(part) + ".json"), StandardCopyOption.ATOMIC_MOVE,
      StandardCopyOption.REPLACE_EXISTING);
  }

  /** Forgets {@code part}: it was renamed into place, or removed. */
  public void remove(Path part) throws IOException {
    Files.deleteIfExists(dir.resolve(key(part) + ".json"));
  }

  /**
   * At start: removes the partial files (and markers) of transfers that cannot resume, and forgets entries
   * whose file is gone. @return what was removed, one line each
   */
  public List<String> cleanUp() throws IOException {
    List<String> removed = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path e : entries.toList()) {
        if (!e.getFileName().toString().endsWith(".json")) {
          Files.deleteIfExists(e);
          continue;
        }
        JsonObject entry;
        try {
          entry = new JsonObject(Files.readString(e, StandardCharsets.UTF_8));
          if (entry.getString("part") == null) {
            throw new IllegalArgumentException("no part");
          }
        } catch (RuntimeException bad) {
          log.warn("{}: not a journal entry, removed", e);
          Files.deleteIfExists(e);
          continue;
        }
        Path part = Path.of(entry.getString("part"));
        if (!Files.exists(part)) {
          Files.deleteIfExists(e);
        } else if (!entry.getBoolean("resume", false)) {
          deleteTree(part);
          if (entry.getString("markers") != null) {
            Files.deleteIfExists(Path.of(entry.getString("markers")));
          }
          Files.deleteIfExists(e);
          removed.add(part + " (left by transfer " + entry.getString("transfer") + ", which cannot resume)");
        }
      }
    }
    return removed;
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    }
  }

  private static String key(Path part) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(part.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
