package io.xfernode.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code watch ID}: follows a transfer that runs already, to its end. */
@Command(name = "watch", sortOptions = false, usageHelpAutoWidth = true,
  description = "Follows a transfer to its end, with its progress; Ctrl-C cancels it.")
final class WatchCommand extends FollowingCommand {

  @Parameters(index = "0", paramLabel = "ID", description = "the transfer's id")
  String id;

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException {
    // subscribed first, then the status: a transfer that ends in between is seen either way
    return follow(bridge, id, TransferFollower::status);
  }
}
