package io.xfernode.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.UUID;

/** {@code cp SRC DST}: submits a transfer and follows it to the end (SPEC 2.6). */
@Command(name = "cp", sortOptions = false, usageHelpAutoWidth = true,
  description = {"Copies SRC to DST and follows the transfer to its end.", "",
    "SRC and DST are element URIs (file://NODE/ROOT/PATH, file:///ROOT/PATH for the connected node, "
      + "random:?length=N, tcp://HOST:PORT, null:, ...) or paths of the connected node's roots (ROOT/PATH)."})
final class CopyCommand extends FollowingCommand {

  @Parameters(index = "0", paramLabel = "SRC", description = "what to read")
  String source;

  @Parameters(index = "1", paramLabel = "DST", description = "where to write")
  String sink;

  @Option(names = "--checksum", paramLabel = "ALG", description = "crc32c, sha256 or md5: checked where the bytes land")
  String checksum;

  @Option(names = "--streams", paramLabel = "N", description = "parallel streams between nodes (1-64)")
  Integer streams;

  @Option(names = "--rate-limit", paramLabel = "RATE", converter = ByteSize.class,
    description = "bytes per second at most, e.g. 10M (K, M, G: binary units)")
  Long rateLimit;

  @Option(names = "--resume", description = "keep what arrived if it fails; the same command with the same --id "
    + "then sends only what is missing")
  boolean resume;

  @Option(names = "--id", paramLabel = "ID", description = "the transfer's id (default: a new one)")
  String id;

  @Option(names = {"-r", "--recursive"}, description = "SRC is a directory: copy the whole tree")
  boolean recursive;

  @Option(names = "--overwrite", description = "replace DST if it exists")
  boolean overwrite;

  @Option(names = "--dry-run", description = "print the plan and run nothing")
  boolean dryRun;

  JsonObject spec() {
    return CopySpec.build(source, sink, new CopySpec.Flags(id, checksum, streams, rateLimit, resume, recursive,
      overwrite));
  }

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    JsonObject spec = spec();
    if (dryRun) {
      JsonObject plan = bridge.request(Addresses.PLAN, spec).getJsonObject("plan", new JsonObject());
      if (json()) {
        printJson(plan);
      } else {
        explain(plan, true);
      }
      return ExitCodes.OK;
    }
    // the id is ours from the start, so its events can be subscribed to before it runs, and Ctrl-C
    // can cancel it even while the submit is being answered
    String transferId = id != null ? id : "cli-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    spec.put("id", transferId);
    return follow(bridge, transferId, follower -> {
      var submit = bridge.requestAsync(Addresses.SUBMIT, spec);
      inFlight(submit);
      JsonObject reply = bridge.await(submit, Addresses.SUBMIT);
      inFlight(null);
      if (verbose) {
        err().println("transfer " + transferId + " is " + reply.getString("state"));
        explain(reply.getJsonObject("plan", new JsonObject()), false);
        err().flush();
      }
      return null;
    });
  }

  /** The plan's {@code explain} lines: on stdout for {@code --dry-run}, on stderr with {@code -v}. */
  private void explain(JsonObject plan, boolean toOut) {
    JsonArray lines = plan.getJsonArray("explain", new JsonArray());
    for (Object line : lines) {
      (toOut ? out() : err()).println(toOut ? String.valueOf(line) : "plan: " + line);
    }
  }
}
