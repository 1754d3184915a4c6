package io.xfernode.node.it;

import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What a client command run as a process printed, and how it exited; shared by the tests that run the
 * bridge clients.
 */
record ClientRun(int exit, String out, String err) {

  JsonObject json() {
    return new JsonObject(out);
  }

  /** @return the path of {@code program} on the PATH; the test is skipped, saying why, where there is none */
  static String onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Paths.get(d, program);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    assumeThat(false).as(program + " is not on the PATH: the clients that need it are not tested").isTrue();
    return program;
  }
}
