package io.xfernode.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Addresses;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pools}: lists the cluster's pools (also {@code pools list}); {@code pools define}, {@code pools remove}. */
@Command(name = "pools", sortOptions = false, usageHelpAutoWidth = true,
  description = "Lists the cluster's pools of data connections, with their live connections.",
  subcommands = {PoolsCommand.Define.class, PoolsCommand.Remove.class, PoolsCommand.ListPools.class})
final class PoolsCommand extends ClientCommand {

  @Override
  int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
    return list(this, bridge);
  }

  static int list(ClientCommand command, BridgeConnection bridge) throws BridgeException, UnreachableException,
    InterruptedException {
    JsonObject reply = bridge.request(Addresses.POOLS, new JsonObject().put("op", "list"));
    if (command.json()) {
      command.printJson(reply);
    } else {
      Tables.pools(reply.getJsonArray("pools", new JsonArray())).forEach(command.out()::println);
      JsonArray unreachable = reply.getJsonArray("unreachable", new JsonArray());
      if (!unreachable.isEmpty()) {
        command.out().println("(no answer from " + unreachable.encode() + ")");
      }
    }
    return ExitCodes.OK;
  }

  /** {@code pools list}. */
  @Command(name = "list", description = "Lists the pools (the same as pools alone).")
  static final class ListPools extends ClientCommand {
    @Override
    int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
      return list(this, bridge);
    }
  }

  /** {@code pools define NAME [...]}: defines a pool for the whole cluster, or replaces one. */
  @Command(name = "define", sortOptions = false, usageHelpAutoWidth = true,
    description = "Defines a pool for the whole cluster, replacing one of that name; unset fields take "
      + "their defaults.")
  static final class Define extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the pool's name")
    String name;

    @Option(names = "--min-per-peer", paramLabel = "N", description = "connections kept open to a peer once used (default 1)")
    Integer minPerPeer;

    @Option(names = "--max-per-peer", paramLabel = "N", description = "connections to a peer at most (default 4)")
    Integer maxPerPeer;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", description = "ISO-8601, e.g. PT60S (the default)")
    String idleTimeout;

    @Option(names = "--window", paramLabel = "BYTES", description = "bytes in flight per transfer (default 8388608)")
    Long window;

    @Option(names = "--tls", description = "its connections use TLS")
    boolean tls;

    JsonObject pool() {
      JsonObject pool = new JsonObject().put("name", name);
      if (minPerPeer != null) {
        pool.put("minPerPeer", minPerPeer);
      }
      if (maxPerPeer != null) {
        pool.put("maxPerPeer", maxPerPeer);
      }
      if (idleTimeout != null) {
        pool.put("idleTimeout", idleTimeout);
      }
      if (window != null) {
        pool.put("window", window);
      }
      if (tls) {
        pool.put("tls", true);
      }
      return pool;
    }

    @Override
    int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
      JsonObject reply = bridge.request(Addresses.POOLS, new JsonObject().put("op", "define").put("pool", pool()));
      if (json()) {
        printJson(reply);
      } else {
        Tables.pools(new JsonArray().add(reply.getJsonObject("pool", new JsonObject()))).forEach(out()::println);
      }
      return ExitCodes.OK;
    }
  }

  /** {@code pools remove NAME}. */
  @Command(name = "remove", description = "Removes a pool; its connections close.")
  static final class Remove extends ClientCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the pool's name")
    String name;

    @Override
    int run(BridgeConnection bridge) throws BridgeException, UnreachableException, InterruptedException {
      JsonObject reply = bridge.request(Addresses.POOLS, new JsonObject().put("op", "remove").put("name", name));
      if (json()) {
        printJson(reply);
      } else {
        out().println("removed " + reply.getString("removed", name));
      }
      return ExitCodes.OK;
    }
  }
}
