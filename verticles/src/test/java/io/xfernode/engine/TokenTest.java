package io.xfernode.engine;

import io.vertx.core.json.JsonObject;
import io.xfernode.test.EngineFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token a transfer's data connections present (SPEC 5) is 128 random bits, a new one per transfer:
 * read from the SETUP messages the controller sends its agents.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTest {

  private EngineFixture fx;
  private List<JsonObject> setups;

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
    setups = fx.sent("SETUP");
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  @Test
  void every_transfer_gets_128_random_bits_of_its_own() throws Exception {
    int n = 24;
    for (int i = 0; i < n; i++) {
      JsonObject status = fx.run(new JsonObject()
        .put("source", new JsonObject().put("type", "random").put("length", 10))
        .put("sink", new JsonObject().put("type", "null")));
      assertThat(status.getString("state")).isEqualTo("DONE");
    }
    List<String> tokens = setups.stream().map(s -> s.getString("token")).toList();
    assertThat(tokens).hasSize(n).allMatch(t -> t.matches("[0-9a-f]{32}")).doesNotHaveDuplicates();
    // random bits: each token has about 64 of 128 set, and each bit position is set in some and clear in
    // others (a constant, a counter or a zeroed half fails one of these; chance does so about never)
    BigInteger or = BigInteger.ZERO;
    BigInteger and = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    for (String t : tokens) {
      BigInteger bits = new BigInteger(t, 16);
      assertThat(bits.bitCount()).as("set bits of %s", t).isBetween(32, 96);
      or = or.or(bits);
      and = and.and(bits);
    }
    assertThat(or.bitCount()).as("positions set in some token").isGreaterThan(120);
    assertThat(and.bitCount()).as("positions set in every token").isLessThan(8);
  }
}
