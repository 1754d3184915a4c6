package io.xfernode.node;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An {@link OutOfMemoryError} stops the process with a non-zero exit, whether it strikes in a Vert.x
 * handler on an event loop or on a thread of its own: a node never stays up half alive. Each case runs in a
 * forked JVM with a small heap and without {@code -XX:+ExitOnOutOfMemoryError}, so only the guard stops it.
 */
class OomGuardTest {

  /** Runs in the forked JVM: runs out of memory where {@code args[0]} says, or exits 0 if it survives. */
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    OomGuard.install(vertx);
    Runnable hog = () -> {
      List<long[]> hoard = new ArrayList<>();
      while (true) {
        hoard.add(new long[1 << 20]);
      }
    };
    if (args[0].equals("event-loop")) {
      vertx.runOnContext(v -> hog.run());
    } else {
      new Thread(hog, "hog").start();
    }
    // nothing ever counts this down: the process lives until the guard halts it, or survives and says so
    new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS);
    System.exit(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"event-loop", "thread"})
  @Timeout(90)
  void out_of_memory_stops_the_process(String where) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("oom", ".log");
    Process p = new ProcessBuilder(List.of(java, "-Xmx64m", "-Dlogback.configurationFile=logback-quiet.xml",
      "-cp", System.getProperty("java.class.path"), OomGuardTest.class.getName(), where))
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(80, TimeUnit.SECONDS)).as("the process stopped").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(p.exitValue()).as("exit code; output:\n%s", output).isEqualTo(OomGuard.EXIT_CODE);
    assertThat(output).contains("java.lang.OutOfMemoryError").contains("the node stops now");
  }
}
