package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cancel ID}: cancels a transfer and prints what became of it. */
@Command(name = "cancel", sortOptions = false, usageHelpAutoWidth = true,
  description = "Cancels a transfer; prints its state once every element has stopped and cleaned up "
    + "(a transfer that had ended already keeps its state).")
final class CancelCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the transfer's id")
  String id;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why, kept in the transfer's error")
  String reason;

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    JsonObject request = new JsonObject().put("id", id);
    if (reason != null) {
      request.put("reason", reason);
    }
    JsonObject status = bridge.request(Addresses.CANCEL, request);
    if (json()) {
      printJson(status);
    } else {
      out().println(id + " " + status.getString("state"));
    }
    return ExitCodes.OK;
  }
}
