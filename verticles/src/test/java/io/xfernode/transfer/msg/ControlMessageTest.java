package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.element.Cost;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Endpoint;
import io.xfernode.plan.Plan;
import io.xfernode.plan.Step;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every control message survives its trip through JSON, and a message of another version is refused. */
class ControlMessageTest {

  static final Plan PLAN = new Plan(List.of(
    new Step(0, "source", Step.ELEMENT, Role.SOURCE, "random", "a", null, Mechanism.PUSH, Cost.of(1, 0),
      new JsonObject().put("length", 10), "random"),
    new Step(1, "sink", Step.ELEMENT, Role.SINK, "null", "b", Mechanism.PUSH, null, Cost.FREE, new JsonObject(), "null")),
    Cost.of(1, 0), 1, List.of("why"));

  static final Endpoint ENDPOINT = new Endpoint(SocketAddress.inetSocketAddress(7300, "127.0.0.1"), "xfer.internal.parent.p");

  static List<ControlMessage> samples() {
    return List.of(
      new Setup("t1", "a", PLAN, "00112233445566778899aabbccddeeff", true, false),
      new Start("t1", Map.of(1, new Start.Peers(ENDPOINT, null))),
      new Cancel("t1", "cancelled by request"),
      new Commit("t1"),
      new Ready("t1", "b", List.of(new Ready.Element(1, ENDPOINT, null, new JsonObject().put("listen", 1), 10)), true),
      new Ready("t2", "a", List.of(new Ready.Element(0, null, null, null, -1)), false),
      new Progress("t1", 1, 12345),
      new Progress("t1", 0, 4096, 3, 10),
      new Info("t1", 0, new JsonObject().put("connection", "tcp x -> y")),
      new Done("t1", 1, 10, new JsonObject().put("checksum", new JsonObject().put("value", "ab"))),
      new Failure("t1", 0, new XferException(404, "source.path: no such file", "source")),
      new CancelRequest("t1", "because"),
      new StatusRequest("t1"));
  }

  @Test
  void every_message_reads_back_as_it_was_written() {
    for (ControlMessage m : samples()) {
      JsonObject json = m.toJson();
      assertThat(json.getInteger("v")).as("version of %s", m.type()).isEqualTo(ControlMessage.VERSION);
      ControlMessage back = ControlMessage.fromJson(json);
      assertThat(back.getClass()).as(m.type()).isEqualTo(m.getClass());
      assertThat(back.toJson()).as("%s after a round trip", m.type()).isEqualTo(json);
    }
  }

  @Test
  void a_message_of_another_version_or_type_is_refused_naming_the_field() {
    JsonObject old = new Commit("t1").toJson().put("v", 1);
    assertThatThrownBy(() -> ControlMessage.fromJson(old)).isInstanceOf(XferException.class)
      .hasMessageStartingWith("v: control protocol version 1 is not spoken here");
    assertThatThrownBy(() -> ControlMessage.fromJson(new Commit("t1").toJson().put("type", "NOPE")))
      .hasMessageStartingWith("type: unknown control message NOPE");
    assertThatThrownBy(() -> ControlMessage.fromJson(new Commit("t1").toJson().put("transfer", "")))
      .hasMessageStartingWith("transfer: is required");
  }
}
