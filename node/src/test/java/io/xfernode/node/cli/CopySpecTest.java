package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code cp}'s arguments and flags become the transfer spec of SPEC 2.2, and nothing else. */
class CopySpecTest {

  private static JsonObject spec(String... args) {
    CopyCommand cp = new CopyCommand();
    new CommandLine(cp).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return cp.spec();
  }

  @Test
  void uris_go_to_the_node_as_they_are() {
    assertThat(spec("file://a/data/in.bin", "file://b/data/out.bin").encode())
      .isEqualTo("{\"source\":\"file://a/data/in.bin\",\"sink\":\"file://b/data/out.bin\"}");
    assertThat(spec("random:?length=1048576&seed=7", "null:").encode())
      .isEqualTo("{\"source\":\"random:?length=1048576&seed=7\",\"sink\":\"null:\"}");
  }

  @Test
  void a_path_is_a_file_of_the_connected_nodes_roots() {
    assertThat(spec("data/in.bin", "data/out dir/out.bin").encode()).isEqualTo(
      "{\"source\":{\"type\":\"file\",\"path\":\"data/in.bin\"},"
        + "\"sink\":{\"type\":\"file\",\"path\":\"data/out dir/out.bin\"}}");
  }

  @Test
  void every_flag_lands_on_its_field() {
    JsonObject spec = spec("--id", "t1", "--checksum", "sha256", "--streams", "4", "--rate-limit", "10M",
      "--resume", "-r", "--overwrite", "data/dir", "file://b/data/dir");
    assertThat(spec.encode()).isEqualTo("{\"id\":\"t1\","
      + "\"source\":{\"type\":\"file\",\"path\":\"data/dir\",\"recursive\":true},"
      + "\"sink\":\"file://b/data/dir?overwrite=true\","
      + "\"options\":{\"checksum\":\"sha256\",\"streams\":4,\"rateLimit\":10485760,\"resume\":true}}");
  }

  @Test
  void a_flag_joins_a_query_the_uri_has_already() {
    assertThat(CopySpec.element("file://a/data/x?fsync=true", "overwrite")).isEqualTo("file://a/data/x?fsync=true&overwrite=true");
    assertThat(CopySpec.element("file:///data/x", "recursive")).isEqualTo("file:///data/x?recursive=true");
  }

  @Test
  void what_has_a_scheme_is_a_uri_and_what_has_none_a_path() {
    assertThat(CopySpec.isUri("file:///data/x")).isTrue();
    assertThat(CopySpec.isUri("null:")).isTrue();
    assertThat(CopySpec.isUri("tcp://10.0.0.5:7300")).isTrue();
    assertThat(CopySpec.isUri("data/x.bin")).isFalse();
    assertThat(CopySpec.isUri("data/with:colon")).isFalse();
  }

  @Test
  void sizes_take_binary_units() {
    ByteSize size = new ByteSize();
    assertThat(size.convert("512")).isEqualTo(512L);
    assertThat(size.convert("64K")).isEqualTo(65_536L);
    assertThat(size.convert("10MiB")).isEqualTo(10L << 20);
    assertThat(size.convert("1g")).isEqualTo(1L << 30);
    assertThatThrownBy(() -> size.convert("fast")).hasMessageContaining("'fast' is not a size");
  }
}
