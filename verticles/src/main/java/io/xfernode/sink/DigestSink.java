package io.xfernode.sink;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.filter.Digests;

import java.util.List;
import java.util.Set;

/** {@code digest} sink: discards the bytes and reports their checksum. */
public final class DigestSink implements ElementType<String> {

  @Override
  public String type() {
    return "digest";
  }

  @Override
  public Role role() {
    return Role.SINK;
  }

  @Override
  public Set<String> optionKeys() {
    return Set.of("algorithm");
  }

  @Override
  public String parse(JsonFields f) {
    return Digests.algorithm(f.field("algorithm"), f.string("algorithm", "sha256"));
  }

  @Override
  public List<MechPair> pairs(String algorithm) {
    return List.of(MechPair.sink(Mechanism.PUSH, 0, 0), MechPair.sink(Mechanism.PULL, 0, 1));
  }

  @Override
  public String describe(String algorithm) {
    return "discards the bytes and reports their " + algorithm;
  }

  @Override
  public Element create(String algorithm) {
    Digests.Digest digest = Digests.create(algorithm);
    return new ConsumingSink() {
      @Override
      protected void consume(Buffer buffer) {
        digest.update(buffer);
      }

      @Override
      public JsonObject result() {
        return new JsonObject().put("checksum", Digests.json(algorithm, digest.hex()));
      }
    };
  }
}
