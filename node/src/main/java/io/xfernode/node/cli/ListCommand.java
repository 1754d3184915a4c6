package io.xfernode.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ls}: the cluster's transfers, newest first. */
@Command(name = "ls", sortOptions = false, usageHelpAutoWidth = true,
  description = "Lists the cluster's transfers, newest first (finished ones for 24 hours).")
final class ListCommand extends ClientCommand {

  @Option(names = "--state", paramLabel = "STATE",
    description = "only those in STATE: PENDING, SETUP, RUNNING, DONE, FAILED or CANCELLED")
  String state;

  @Option(names = "--limit", paramLabel = "N", description = "at most N (1-1000; default 100)")
  Integer limit;

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    JsonObject request = new JsonObject();
    if (state != null) {
      // the node names the states in capitals; "running" is what a user types
      request.put("state", state.toUpperCase(java.util.Locale.ROOT));
    }
    if (limit != null) {
      request.put("limit", limit);
    }
    JsonArray transfers = bridge.request(Addresses.LIST, request).getJsonArray("transfers", new JsonArray());
    if (json()) {
      printJson(transfers);
    } else {
      Tables.transfers(transfers).forEach(out()::println);
    }
    return ExitCodes.OK;
  }
}
