package io.xfernode.engine;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.element.ElementRegistry;
import io.xfernode.test.EngineFixture;
import io.xfernode.transfer.ChainBuilder;
import io.xfernode.transfer.TransferSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.xfernode.test.EngineFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * SPEC 5: the spec parser is fuzzed. Thousands of mutated and random specs go to {@code xfer.plan}; every one
 * either plans or is refused with a 4xx whose message is one line starting with a field — never an
 * internal error, never an exception of another type.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class SpecFuzzTest {

  static final int CASES = 3000;
  static final Set<Integer> USER_ERRORS = Set.of(400, 403, 404, 409);

  private EngineFixture fx;
  private final ElementRegistry registry = ElementRegistry.load();

  static final List<String> KEYS = List.of("id", "source", "filters", "sink", "options", "type", "node", "path",
    "offset", "length", "recursive", "seed", "pattern", "command", "level", "algorithm", "rate", "mode", "host",
    "port", "transport", "tls", "retry", "url", "method", "headers", "overwrite", "append", "tree", "checksum",
    "timeout", "rateLimit", "hop", "streams", "expected", "keyStore", "until", "datagramSize", "idleTimeout");
  static final List<String> TYPES = List.of("file", "random", "pattern", "process", "tcp", "udp", "http", "null",
    "gzip", "gunzip", "checksum", "throttle", "digest", "teleport", "");
  static final JsonObject VALID = new JsonObject()
    .put("id", "fuzz")
    .put("source", new JsonObject().put("type", "random").put("length", 100).put("seed", 1))
    .put("filters", new JsonArray().add(new JsonObject().put("type", "gzip").put("level", 5)))
    .put("sink", new JsonObject().put("type", "digest").put("algorithm", "md5"))
    .put("options", new JsonObject().put("checksum", "sha256").put("timeout", "PT1M"));

  @BeforeAll
  void start() throws Exception {
    fx = EngineFixture.start();
  }

  @AfterAll
  void stop() throws Exception {
    fx.close();
  }

  static Object randomValue(SplittableRandom r, int depth) {
    switch (r.nextInt(depth > 2 ? 8 : 10)) {
      case 0: return null;
      case 1: return r.nextBoolean();
      case 2: return r.nextLong();
      case 3: return r.nextInt(-5, 70000);
      case 4: return r.nextDouble() * 1e6;
      case 5: return TYPES.get(r.nextInt(TYPES.size()));
      case 6: return "x".repeat(r.nextInt(300)) + (r.nextBoolean() ? "/../" : "\u0000\u00e9\n");
      case 7: return new String[]{"data/a", "/etc/passwd", "data/../x", "tcp://h:1", "random:?length=5",
        "file:///data/x", "PT0S", "-PT1S", "sha256", "listen", "tls+tcp", "udp://127.0.0.1:99999"}[r.nextInt(12)];
      case 8: {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(randomValue(r, depth + 1));
        }
        return a;
      }
      default: {
        JsonObject o = new JsonObject();
        for (int i = r.nextInt(5); i > 0; i--) {
          o.put(KEYS.get(r.nextInt(KEYS.size())), randomValue(r, depth + 1));
        }
        return o;
      }
    }
  }

  /** A valid spec with a few random changes, deep inside or at the top. */
  static JsonObject mutate(SplittableRandom r) {
    JsonObject spec = VALID.copy();
    for (int i = 1 + r.nextInt(3); i > 0; i--) {
      JsonObject target = switch (r.nextInt(4)) {
        case 0 -> spec;
        case 1 -> spec.getValue("source") instanceof JsonObject ? spec.getJsonObject("source") : spec;
        case 2 -> spec.getValue("sink") instanceof JsonObject ? spec.getJsonObject("sink") : spec;
        default -> spec.getValue("options") instanceof JsonObject ? spec.getJsonObject("options") : spec;
      };
      String key = KEYS.get(r.nextInt(KEYS.size()));
      if (r.nextInt(4) == 0) {
        target.remove(key);
      } else {
        target.put(key, randomValue(r, 0));
      }
    }
    return spec;
  }

  @Test
  void thousands_of_mutated_and_random_specs_are_planned_or_refused_with_a_4xx_naming_a_field() throws Exception {
    SplittableRandom r = new SplittableRandom(20261122);
    int planned = 0;
    for (int i = 0; i < CASES; i++) {
      Object candidate = i % 3 == 0 ? randomValue(r, 0) : mutate(r);
      if (!(candidate instanceof JsonObject)) {
        continue;
      }
      JsonObject spec = (JsonObject) candidate;
      try {
        // the parser and planner alone, then the API's own path through them
        TransferSpec parsed = TransferSpec.parse(spec, registry, EngineFixture.NODE);
        ChainBuilder.build(parsed, registry);
        await(fx.engine().plan(spec));
        planned++;
      } catch (XferException e) {
        assertThat(e.code()).as("code for %s", spec.encode()).isIn(USER_ERRORS);
        assertThat(e.getMessage()).as("message for %s", spec.encode()).doesNotContain("\n").matches("[A-Za-z\\[\\]0-9.]+: .+");
      } catch (Exception e) {
        fail("spec %s threw %s", spec.encode(), e.toString());
      }
    }
    assertThat(planned).as("some mutations stay valid").isPositive();
  }
}
