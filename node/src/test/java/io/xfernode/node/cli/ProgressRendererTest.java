package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line and the summary: numbers people read, redrawn in place on a terminal, rationed elsewhere. */
class ProgressRendererTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final StringWriter err = new StringWriter();

  private ProgressRenderer renderer(ProgressRenderer.Mode mode) {
    return new ProgressRenderer(mode, new PrintWriter(err, true), now::get);
  }

  private static JsonObject progress(long bytes, long total, long rate) {
    return new JsonObject().put("type", "progress").put("bytes", bytes).put("total", total).put("rateBps", rate);
  }

  @Test
  void sizes_rates_and_durations_read_as_people_write_them() {
    assertThat(Units.bytes(0)).isEqualTo("0 B");
    assertThat(Units.bytes(1023)).isEqualTo("1023 B");
    assertThat(Units.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(Units.bytes(1024 * 1024 - 1)).isEqualTo("1.0 MiB");
    assertThat(Units.bytes(5L << 30)).isEqualTo("5.0 GiB");
    assertThat(Units.rate(12.5 * 1024 * 1024)).isEqualTo("12.5 MiB/s");
    assertThat(Units.clock(7_900)).isEqualTo("0:07");
    assertThat(Units.clock(723_000)).isEqualTo("12:03");
    assertThat(Units.clock(3_723_000)).isEqualTo("1:02:03");
    assertThat(Units.duration(250)).isEqualTo("0.25 s");
    assertThat(Units.duration(12_340)).isEqualTo("12.3 s");
    assertThat(Units.percent(1, 3)).isEqualTo("33%");
    assertThat(Units.percent(999_999, 1_000_000)).as("never 100% before the end").isEqualTo("99%");
    assertThat(Units.percent(5, 5)).isEqualTo("100%");
  }

  @Test
  void a_line_has_bytes_percent_rate_eta_and_elapsed_time() {
    // a quarter of 100 MiB at 10 MiB/s: 7.5 s to go
    assertThat(ProgressRenderer.fields(progress(25L << 20, 100L << 20, 10L << 20), 2_500))
      .containsExactly("25.0 MiB / 100.0 MiB", "25%", "10.0 MiB/s", "ETA 0:07", "elapsed 0:02");
  }

  @Test
  void without_a_total_there_is_no_percent_and_no_eta_and_the_rate_comes_from_the_elapsed_time() {
    assertThat(ProgressRenderer.fields(progress(3L << 20, -1, 0), 2_000))
      .containsExactly("3.0 MiB", "1.5 MiB/s", "elapsed 0:02");
  }

  @Test
  void a_tree_shows_its_files() {
    assertThat(ProgressRenderer.fields(progress(10, 100, 10).put("filesDone", 3).put("filesTotal", 12), 1_000))
      .endsWith("files 3/12");
  }

  @Test
  void on_a_terminal_the_line_is_redrawn_in_place_and_cleared_at_the_end() {
    ProgressRenderer p = renderer(ProgressRenderer.Mode.TTY);
    now.addAndGet(1_000);
    p.update(progress(50L << 20, 100L << 20, 50L << 20));
    now.addAndGet(100);
    p.update(progress(100L << 20, 100L << 20, 50L << 20));
    p.finish();
    String first = "50.0 MiB / 100.0 MiB  50%  50.0 MiB/s  ETA 0:01  elapsed 0:01";
    String second = "100.0 MiB / 100.0 MiB  100%  50.0 MiB/s  elapsed 0:01";
    assertThat(err.toString()).isEqualTo("\r" + first + "\r" + second + " ".repeat(first.length() - second.length())
      + "\r" + " ".repeat(first.length()) + "\r");
    assertThat(err.toString()).doesNotContain("\n");
  }

  @Test
  void off_a_terminal_a_plain_line_goes_out_at_most_once_a_second() {
    ProgressRenderer p = renderer(ProgressRenderer.Mode.PLAIN);
    for (int i = 1; i <= 10; i++) {
      // ten events, 250 ms apart: 2.25 s in all
      p.update(progress(i * 1024L, 10 * 1024L, 4096));
      now.addAndGet(250);
    }
    p.finish();
    String[] lines = err.toString().split("\n");
    assertThat(lines).as("lines at 0, 1 and 2 s: %s", err).hasSize(3);
    assertThat(lines[0]).isEqualTo("progress 1.0 KiB / 10.0 KiB, 10%, 4.0 KiB/s, ETA 0:02, elapsed 0:00");
    assertThat(lines[1]).startsWith("progress 5.0 KiB / 10.0 KiB, 50%");
    assertThat(lines[2]).startsWith("progress 9.0 KiB / 10.0 KiB, 90%");
    assertThat(err.toString()).doesNotContain("\r");
  }

  @Test
  void quiet_prints_nothing() {
    ProgressRenderer p = renderer(ProgressRenderer.Mode.QUIET);
    p.update(progress(1, 2, 1));
    p.tick();
    p.finish();
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void the_summary_has_bytes_time_average_rate_and_checksum() {
    JsonObject done = new JsonObject().put("id", "t1").put("state", "DONE").put("bytes", 100L << 20)
      .put("runningAt", "2026-11-22T19:40:00Z").put("endedAt", "2026-11-22T19:40:02.500Z")
      .put("checksum", new JsonObject().put("algorithm", "sha256").put("value", "ab12"));
    assertThat(ProgressRenderer.summary(done, 99_999))
      .isEqualTo("DONE t1: 100.0 MiB in 2.50 s, 40.0 MiB/s average, sha256 ab12");
  }

  @Test
  void a_failed_summary_names_the_error() {
    JsonObject failed = new JsonObject().put("id", "t2").put("state", "FAILED").put("bytes", 0)
      .put("error", new JsonObject().put("code", 503).put("message", "node b left the cluster").put("element", "sink"));
    assertThat(ProgressRenderer.summary(failed, 1_000))
      .isEqualTo("FAILED t2: 0 B in 1.00 s, 0 B/s average; 503 sink: node b left the cluster");
  }
}
