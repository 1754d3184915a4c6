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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a node keeps between restarts, under {@code state.dir} (SPEC 2.5): its id, when none is configured,
 * and the journal of the partial files its file sinks write, whose restart markers let a transfer resume.
 *
 * <p>Several nodes of one host may share a state directory (two started from the same working directory do).
 * The file {@code node-ids} lists every id kept there, and a node holds the lock file {@code <id>.lock} of
 * the id it uses for as long as it runs: a node that starts takes the first kept id no running node holds,
 * or, when none is free, gets a new one that the cluster decides ({@link #tryHold}, {@link #keep}).
 * Every method blocks: call them off the event loop.
 */
public final class NodeState {

  private static final Logger log = LoggerFactory.getLogger(NodeState.class);

  /** The file that lists the ids kept in a state directory, one a line. */
  static final String IDS = "node-ids";
  /** What kept the id before several nodes could share a directory: read once, then listed in {@link #IDS}. */
  static final String LEGACY_ID = "node-id";
  /**
   * Keeps two nodes of this JVM (tests run several) from editing one directory's id list at once; the file
   * lock {@code node-ids.lock} does that between processes.
   */
  private static final Object LIST_EDITS = new Object();

  private final Path dir;
  private final boolean configured;
  private final String owner;
  private final Set<String> keptByOthers = new LinkedHashSet<>();
  private String nodeId;
  private FileChannel held;
  private PartJournal parts;

  private NodeState(Path dir, boolean configured, String owner) {
    this.dir = dir;
    this.configured = configured;
    this.owner = owner;
  }

  /**
   * Opens the state directory. With a configured id, that is the id. Otherwise the first id kept here that
   * no running node holds is taken and held; when there is none, {@link #nodeId()} is null until the node
   * picks one with {@link #tryHold} and {@link #keep}.
   */
  public static NodeState open(NodeConfig config) throws IOException {
    Path dir = Files.createDirectories(config.stateDir());
    NodeState state = new NodeState(dir, config.nodeIdGiven(), NodeConfig.hostName() + ":" + dir);
    if (config.nodeIdGiven()) {
      state.nodeId = config.nodeId();
      return state;
    }
    synchronized (LIST_EDITS) {
      try (FileChannel listLock = FileChannel.open(dir.resolve(IDS + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock ignored = listLock.lock()) {
        for (String id : state.keptIds()) {
          if (state.nodeId == null && state.tryHold(id)) {
            state.nodeId = id;
          } else {
            state.keptByOthers.add(id);
          }
        }
      }
    }
    return state;
  }

  /** The ids kept in this directory, oldest first; the one of the legacy file is listed on the way. */
  private List<String> keptIds() throws IOException {
    Set<String> ids = new LinkedHashSet<>();
    Path list = dir.resolve(IDS);
    if (Files.exists(list)) {
      for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
        String id = line.trim();
        if (NodeConfig.NODE_ID.matcher(id).matches()) {
          ids.add(id);
        } else if (!id.isEmpty()) {
          log.warn("{}: \"{}\" is not a node id; ignored", list, id);
        }
      }
    }
    Path legacy = dir.resolve(LEGACY_ID);
    if (Files.exists(legacy)) {
      String id = Files.readString(legacy, StandardCharsets.UTF_8).trim();
      if (NodeConfig.NODE_ID.matcher(id).matches() && ids.add(id)) {
        Files.writeString(list, id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      }
    }
    return new ArrayList<>(ids);
  }

  /**
   * Takes the lock of {@code id} in this directory, unless another node (of this process or another on
   * the host) holds it or keeps it here.
   *
   * @return whether this node holds it now
   */
  public boolean tryHold(String id) throws IOException {
    if (held != null) {
      throw new IllegalStateException("this node already holds " + nodeId);
    }
    if (keptByOthers.contains(id)) {
      return false;
    }
    FileChannel channel = FileChannel.open(dir.resolve(id + ".lock"), StandardOpenOption.CREATE,
      StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // another node of this JVM holds it
    }
    if (lock == null) {
      channel.close();
      return false;
    }
    held = channel;
    return true;
  }

  /** Lets go of the id {@link #tryHold} took, because the cluster refused it. */
  public void release() throws IOException {
    if (held != null) {
      held.close();
      held = null;
    }
  }

  /** Makes the id {@link #tryHold} took this node's, and lists it here for the next start. */
  public void keep(String id) throws IOException {
    if (held == null) {
      throw new IllegalStateException("hold " + id + " first");
    }
    synchronized (LIST_EDITS) {
      try (FileChannel listLock = FileChannel.open(dir.resolve(IDS + ".lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); FileLock ignored = listLock.lock()) {
        if (!keptIds().contains(id)) {
          Files.writeString(dir.resolve(IDS), id + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        }
      }
    }
    nodeId = id;
  }

  /**
   * Opens the partial-file journal of this node's id, from which the files of transfers that cannot resume
   * are removed now, each with a log line.
   */
  public PartJournal openParts() throws IOException {
    if (nodeId == null) {
      throw new IllegalStateException("the node has no id yet");
    }
    parts = new PartJournal(dir.resolve(nodeId).resolve("parts"));
    for (String removed : parts.cleanUp()) {
      log.info("removed the partial file {}", removed);
    }
    return parts;
  }

  /** Lets go of the id, when the node stops: a node started next with this directory takes it again. */
  public void close() {
    try {
      release();
    } catch (IOException e) {
      log.debug("cannot release the lock of node id {} in {}: {}", nodeId, dir, e.getMessage());
    }
  }

  /** @return the node's id: the configured one, the one kept here, or null while the node still picks one */
  public String nodeId() {
    return nodeId;
  }

  /** @return whether the id was configured rather than kept here */
  public boolean configured() {
    return configured;
  }

  /**
   * @return who keeps ids here: this host's name and the directory; a node directory entry with the same
   *         owner and an id this node holds belongs to a process of this host that is gone
   */
  public String owner() {
    return owner;
  }

  public PartJournal parts() {
    return parts;
  }
}
