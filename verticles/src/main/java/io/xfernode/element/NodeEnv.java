package io.xfernode.element;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an element may use on the node that runs it.
 *
 * @param nodeId           this node's id
 * @param host             the address other nodes reach this node on; TCP listeners bind it
 * @param roots            root name to directory
 * @param processAllow     the commands process elements may run, and with which arguments
 * @param processEnv       the environment variables a process element's command gets from the node's, besides
 *                         {@code PATH} and {@code LANG}
 * @param maxBufferedBytes what all the transfers of the node may buffer together (SPEC 5)
 * @param chunkSize        the size of the buffers sources produce
 * @param parts            where the node keeps the list of partial files its file sinks write, so that it
 *                         can remove those of transfers that cannot resume after a crash; null for none
 * @param egress           where elements that connect out may go
 * @param maxFrameBytes    the largest frame a bridge client may send ({@code limits.maxRequestBytes}): the
 *                         {@code eventbus} elements size their base64 chunks to fit one
 */
public record NodeEnv(String nodeId, String host, Map<String, Path> roots,
                      io.xfernode.process.CommandRules processAllow,
                      List<String> processEnv, long maxBufferedBytes, int chunkSize,
                      io.xfernode.file.PartJournal parts, io.xfernode.net.Egress egress,
                      int maxFrameBytes) {

  public static final int DEFAULT_CHUNK = 256 * 1024;
  /** The default of {@code limits.maxRequestBytes}. */
  public static final int DEFAULT_MAX_FRAME = 1024 * 1024;

  /** A node that keeps no list of partial files. */
  public NodeEnv(String nodeId, String host, Map<String, Path> roots, List<String> processAllow,
                 long maxBufferedBytes, int chunkSize) {
    this(nodeId, host, roots, io.xfernode.process.CommandRules.commands(processAllow), List.of(), maxBufferedBytes, chunkSize, null,
      io.xfernode.net.Egress.open(), DEFAULT_MAX_FRAME);
  }
}
