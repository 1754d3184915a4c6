package io.xfernode.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;

/** {@code nodes}: the cluster's nodes. */
@Command(name = "nodes", sortOptions = false, usageHelpAutoWidth = true,
  description = "Lists the cluster's nodes: ids (for file://NODE/... URIs), addresses, roots.")
final class NodesCommand extends ClientCommand {

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    JsonArray nodes = bridge.request(Addresses.NODES, new JsonObject()).getJsonArray("nodes", new JsonArray());
    if (json()) {
      printJson(nodes);
    } else {
      Tables.nodes(nodes).forEach(out()::println);
    }
    return ExitCodes.OK;
  }
}
