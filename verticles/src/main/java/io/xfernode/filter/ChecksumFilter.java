package io.xfernode.filter;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.util.List;

/** {@code checksum} filter: passes the bytes on unchanged and records their checksum in the status. */
public final class ChecksumFilter extends BaseElementType<String> {

  public ChecksumFilter() {
    super("checksum", Role.FILTER, "algorithm");
  }

  @Override
  public String parse(JsonFields f) {
    return Digests.algorithm(f.field("algorithm"), f.string("algorithm", "sha256"));
  }

  @Override
  public List<MechPair> pairs(String algorithm) {
    return List.of(MechPair.filter(Mechanism.PUSH, Mechanism.PUSH, 0, 0),
      MechPair.filter(Mechanism.PULL, Mechanism.PULL, 0, 0));
  }

  @Override
  public String describe(String algorithm) {
    return "passes the bytes on and computes their " + algorithm;
  }

  @Override
  public Element create(String algorithm) {
    Digests.Digest digest = Digests.create(algorithm);
    return new PassThrough() {
      @Override
      protected Buffer apply(Buffer buffer) {
        digest.update(buffer);
        return buffer;
      }

      @Override
      public JsonObject result() {
        return new JsonObject().put("checksum", Digests.json(algorithm, digest.hex()));
      }
    };
  }
}
