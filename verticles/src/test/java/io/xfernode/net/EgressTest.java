package io.xfernode.net;

import io.vertx.core.json.JsonArray;
import io.xfernode.api.XferException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The egress rules, on addresses that need no resolver (literals and localhost). */
class EgressTest {

  private static Egress rules(JsonArray allow, JsonArray deny) {
    return Egress.of(allow, deny);
  }

  private static void refused(Egress e, String host, int port, String message) {
    assertThatThrownBy(() -> e.check(host, port, "source.url")).as("%s:%d", host, port)
      .isInstanceOfSatisfying(XferException.class, x -> assertThat(x.code()).isEqualTo(403))
      .hasMessageStartingWith("source.url: ").hasMessageContaining(message);
  }

  @Test
  void the_nodes_own_ports_are_refused_on_its_own_addresses_whatever_the_rules() {
    Egress e = rules(new JsonArray(), new JsonArray());
    e.ownPorts(7000, 0, 8080);
    refused(e, "127.0.0.1", 7000, "is a control, data or cluster port of this node");
    refused(e, "localhost", 8080, "is a control, data or cluster port of this node");
    refused(e, "0.0.0.0", 8080, "is a control, data or cluster port of this node");
    assertThat(e.check("127.0.0.1", 7001, "source.url").getHostAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void deny_wins_and_allow_limits_with_blocks_names_and_ports() {
    Egress e = rules(new JsonArray().add("127.0.0.0/8").add("[::1]:8080"),
      new JsonArray().add("127.0.0.2").add("localhost"));
    assertThat(e.check("127.0.0.1", 9, "source.url")).isNotNull();
    refused(e, "127.0.0.2", 9, "127.0.0.2:9 is denied by egress.deny");
    refused(e, "localhost", 9, "is denied by egress.deny"); // the name rule, whatever it resolves to
    refused(e, "10.1.2.3", 80, "10.1.2.3:80 is not in egress.allow");
    assertThat(e.check("::1", 8080, "source.url")).isNotNull();
    refused(e, "::1", 8081, "is not in egress.allow");
    Egress block = rules(new JsonArray(), new JsonArray().add("10.0.0.0/8:22").add("fd00::/8"));
    refused(block, "10.200.0.1", 22, "is denied");
    assertThat(block.check("10.200.0.1", 23, "source.url")).isNotNull();
    refused(block, "fd12::1", 80, "is denied");
    assertThat(block.check("11.0.0.1", 22, "source.url")).isNotNull();
  }

  @Test
  void a_rule_that_does_not_parse_names_its_key() {
    for (String bad : new String[]{"10.0.0.0/33", "host:99999", "bad host", "[::1", ""}) {
      assertThatThrownBy(() -> rules(new JsonArray(), new JsonArray().add("ok.example").add(bad))).as(bad)
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("egress.deny[1]: ");
    }
    assertThatThrownBy(() -> rules(new JsonArray().add(5), new JsonArray()))
      .hasMessageStartingWith("egress.allow[0]: ");
  }
}
