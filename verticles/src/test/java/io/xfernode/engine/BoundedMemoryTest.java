package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Memory per transfer is bounded by its links, never by its size: 2 GiB go from a random source to a null
 * sink in a JVM limited to a 128 MiB heap. The transfer runs in a forked JVM so that the limit is real.
 */
class BoundedMemoryTest {

  static final long LENGTH = 2L << 30;

  /** Runs in the forked JVM: exit code 0 only if every byte arrived. */
  public static void main(String[] args) throws Exception {
    try (EngineFixture fx = EngineFixture.start()) {
      JsonObject status = fx.run(new JsonObject()
        .put("source", new JsonObject().put("type", "random").put("seed", 5).put("length", LENGTH))
        .put("sink", new JsonObject().put("type", "null")));
      System.out.println("RESULT " + status.getString("state") + " " + status.getLong("bytes")
        + " maxHeap=" + Runtime.getRuntime().maxMemory());
      System.exit("DONE".equals(status.getString("state")) && status.getLong("bytes") == LENGTH ? 0 : 1);
    }
  }

  @Test
  @Timeout(180)
  void two_gib_go_through_a_jvm_with_a_128_mib_heap() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    // the child's output goes to a file: a pipe nobody reads would fill up and stall it
    Path log = Files.createTempFile("bounded-memory", ".log");
    Process p = new ProcessBuilder(List.of(java, "-Xmx128m", "-XX:+ExitOnOutOfMemoryError",
      "-Dlogback.configurationFile=logback-quiet.xml",
      "-cp", System.getProperty("java.class.path"), BoundedMemoryTest.class.getName()))
      .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      assertThat(p.waitFor(170, TimeUnit.SECONDS)).as("the forked transfer finished").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertThat(p.exitValue()).as("exit code; output:\n%s", output).isZero();
    assertThat(output).contains("RESULT DONE " + LENGTH);
  }
}
