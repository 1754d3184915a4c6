package io.xfernode.sink;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.filter.Digests;

import java.util.List;

/** {@code digest} sink: discards the bytes and reports their checksum. */
public final class DigestSink extends BaseElementType<String> {

  public DigestSink() {
    super("digest", Role.SINK, "algorithm");
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
