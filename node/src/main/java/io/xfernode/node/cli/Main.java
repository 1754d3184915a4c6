package io.xfernode.node.cli;

import picocli.CommandLine;

/** The entry point of {@code xfernode.jar}. */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) {
    // before any Hazelcast class loads: log through SLF4J, never phone home
    System.setProperty("hazelcast.logging.type", "slf4j");
    System.setProperty("hazelcast.phone.home.enabled", "false");
    int code = commandLine().execute(args);
    if (code != NodeCommand.RUNNING) {
      System.exit(code);
    }
    // the node runs on Vert.x's threads until SIGTERM
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new NodeCommand());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine where = ex.getCommandLine();
      String command = where.getCommandSpec().qualifiedName(" ").replaceFirst("^xfernode", "java -jar xfernode.jar");
      where.getErr().println("xfernode: " + ex.getMessage());
      where.getErr().println("Try '" + command + " --help'.");
      return NodeCommand.EXIT_CONFIG;
    });
    // a bug of the client, never a user's error: still one line, not a stack trace
    cl.setExecutionExceptionHandler((ex, where, parsed) -> {
      where.getErr().println("xfernode: internal error: " + ex);
      return ExitCodes.INTERNAL;
    });
    return cl;
  }
}
