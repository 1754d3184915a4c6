package io.xfernode.node.config;

import io.xfernode.file.PartJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What a node keeps between restarts, under {@code state.dir} (SPEC 2.5): its id, when none is configured,
 * and the journal of the partial files its file sinks write, whose restart markers let a transfer resume.
 * Opened once at start, before the node joins the cluster. Blocking.
 */
public final class NodeState {

  private static final Logger log = LoggerFactory.getLogger(NodeState.class);

  /** The locks that keep a state directory's id to one process; held for the process's life. */
  private static final List<FileLock> HELD = new ArrayList<>();

  private final String nodeId;
  private final PartJournal parts;

  private NodeState(String nodeId, PartJournal parts) {
    this.nodeId = nodeId;
    this.parts = parts;
  }

  /**
   * Opens the state directory: the node's id (the configured one, else the one kept there, made on the
   * first start), and its partial-file journal, from which the files of transfers that cannot resume are
   * removed now, each with a log line.
   */
  public static NodeState open(NodeConfig config) throws IOException {
    Path dir = Files.createDirectories(config.stateDir());
    String id = config.nodeIdGiven() ? config.nodeId() : keptId(dir, config.nodeId());
    PartJournal parts = new PartJournal(dir.resolve(id).resolve("parts"));
    for (String removed : parts.cleanUp()) {
      log.info("removed the partial file {}", removed);
    }
    return new NodeState(id, parts);
  }

  /**
   * The id kept in {@code dir}, or a new one kept there; when another process on this host uses the same
   * directory, {@code fallback}, which is unique on the host but not kept.
   */
  private static String keptId(Path dir, String fallback) throws IOException {
    FileChannel lockFile = FileChannel.open(dir.resolve("node-id.lock"), StandardOpenOption.CREATE,
      StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = lockFile.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      lockFile.close();
      log.info("state.dir {} is in use by another node on this host: this node's id {} is not kept", dir, fallback);
      return fallback;
    }
    synchronized (HELD) {
      HELD.add(lock);
    }
    Path file = dir.resolve("node-id");
    if (Files.exists(file)) {
      String kept = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (NodeConfig.NODE_ID.matcher(kept).matches()) {
        return kept;
      }
      log.warn("{} does not hold a node id; making a new one", file);
    }
    String host = fallback.substring(0, fallback.lastIndexOf('-'));
    String made = host + "-" + UUID.randomUUID().toString().substring(0, 8);
    Files.writeString(file, made + "\n", StandardCharsets.UTF_8);
    return made;
  }

  public String nodeId() {
    return nodeId;
  }

  public PartJournal parts() {
    return parts;
  }
}
