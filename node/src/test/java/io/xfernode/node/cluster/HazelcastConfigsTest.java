package io.xfernode.node.cluster;

import com.hazelcast.config.Config;
import io.xfernode.node.config.ConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HazelcastConfigsTest {

  @Test
  void the_default_joins_over_loopback_only() {
    Config config = HazelcastConfigs.load(HazelcastConfigs.DEFAULT, "test");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
      .allMatch(m -> m.startsWith("127.0.0.1:"));
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getConnectionTimeoutSeconds()).isEqualTo(1);
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
  }

  @Test
  void the_member_list_and_kubernetes_examples_parse() {
    Config members = HazelcastConfigs.load(HazelcastConfigs.MEMBERS_EXAMPLE, "test");
    assertThat(members.getNetworkConfig().getJoin().getTcpIpConfig().getMembers()).hasSizeGreaterThan(1);
    // a member silent for 5 s is gone: node loss ends transfers well within SPEC 5's 10 s
    assertThat(members.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
    Config k8s = HazelcastConfigs.load(HazelcastConfigs.KUBERNETES_EXAMPLE, "test");
    assertThat(k8s.getNetworkConfig().getJoin().getKubernetesConfig().isEnabled()).isTrue();
    assertThat(k8s.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
  }

  @Test
  void a_missing_file_is_an_error_not_a_silent_default() {
    assertThatThrownBy(() -> HazelcastConfigs.load("/nonexistent/cluster.xml", "--cluster-config"))
      .isInstanceOf(ConfigException.class)
      .hasMessage("--cluster-config: no such file: /nonexistent/cluster.xml");
  }
}
