package io.xfernode.node.cli;

import picocli.CommandLine.Option;

/** The flags every client subcommand shares: which node to talk to, how, and how to print. */
final class ClientOptions {

  static final String DEFAULT_HOST = "127.0.0.1";
  static final int DEFAULT_BRIDGE_PORT = 7000;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = DEFAULT_HOST,
    description = "the node's TCP event-bus bridge host (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--bridge-port", paramLabel = "PORT", defaultValue = "" + DEFAULT_BRIDGE_PORT,
    description = "the node's TCP event-bus bridge port (default: ${DEFAULT-VALUE})")
  int bridgePort;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:XFER_TOKEN}",
    description = "the token to present, where the node requires one (default: $XFER_TOKEN)")
  String token;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
    description = "how long to wait to connect, and for any one answer (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--json", description = "print JSON, for scripts")
  boolean json;

  BridgeConnection connect() throws UnreachableException {
    String t = token == null || token.isBlank() ? null : token.trim();
    return BridgeConnection.open(host, bridgePort, t, Math.max(1, timeoutSeconds) * 1000L);
  }
}
