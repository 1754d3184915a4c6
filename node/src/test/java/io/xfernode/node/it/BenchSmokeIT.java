package io.xfernode.node.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The benchmark in its smoke mode ({@code BENCH_SMOKE=1 bench/run.sh}: small sizes, every copy checked with
 * cmp or diff), so that the script cannot rot: two fat-jar nodes, every xfernode case, and the peers this
 * machine has (the others are skipped and listed). It checks that the cases ran and moved the right bytes,
 * never how fast: figures on a shared build machine mean nothing.
 */
@Timeout(300)
class BenchSmokeIT {

  @Test
  void the_benchmark_runs_every_xfernode_case_and_checks_their_copies() throws Exception {
    for (String tool : List.of("bash", "curl", "jq", "python3")) {
      assumeThat(onPath(tool)).as("the benchmark needs " + tool + " on the PATH; install it to run this test")
        .isTrue();
    }
    Path repo = Paths.get("..").toAbsolutePath().normalize();
    Path work = Files.createDirectories(Paths.get("target", "bench-smoke")).toAbsolutePath();
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("bench/run.sh").toString())
      .directory(work.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("BENCH_SMOKE", "1");
    pb.environment().put("BENCH_TMPDIR", work.toString());
    pb.environment().put("XFERNODE_JAR", NodeProcess.jar().toAbsolutePath().toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("XFER_"));
    Process p = pb.start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroy();
      p.waitFor(20, TimeUnit.SECONDS); // its EXIT trap stops the nodes and servers it started
      throw new AssertionError("bench/run.sh did not finish within 240 s; see " + err);
    }
    String stdout = Files.readString(out);
    assertThat(p.exitValue()).as("exit status; stderr:\n%s", Files.readString(err)).isZero();
    for (String c : List.of("xf_file_file", "xf_file_null", "xf_cross_file", "xf_pool_file_1", "xf_pool_file_4",
      "xf_cross_null", "xf_cross_random", "xf_pool_pattern_1", "xf_tree")) {
      // a row with a measured figure: the case ran, and in the warm-up round its copy was checked
      assertThat(stdout).as("the row of %s", c).containsPattern(Pattern.compile("\\| " + c + " \\|[^|]*\\| [0-9]+"));
    }
    assertThat(stdout).containsPattern("\\| xf_latency \\|.*p50 [0-9.]+ ms").containsPattern("\\| xf_fair \\|.*10 of 10 DONE");
    assertThat(stdout).contains("| bench-a |").contains("| bench-b |").doesNotContain("FAILED");
  }

  private static boolean onPath(String program) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Paths.get(d, program))) {
        return true;
      }
    }
    return false;
  }
}
