package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code status ID}: one transfer's status. */
@Command(name = "status", sortOptions = false, usageHelpAutoWidth = true,
  description = "Prints one transfer's status.")
final class StatusCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the transfer's id")
  String id;

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    JsonObject status = bridge.request(Addresses.STATUS, new JsonObject().put("id", id));
    if (json()) {
      printJson(status);
    } else {
      Tables.status(status).forEach(out()::println);
    }
    return ExitCodes.OK;
  }
}
