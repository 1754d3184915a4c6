package io.xfernode.node.cli;

import picocli.CommandLine;

/** The fat jar's command line, for tests in other packages that run it against a real node. */
public final class CliAccess {

  private CliAccess() {
  }

  public static CommandLine commandLine() {
    return Main.commandLine();
  }
}
