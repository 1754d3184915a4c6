package io.xfernode.sink;

import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.util.List;

/** {@code null} sink: discards the bytes, counting them. */
public final class NullSink extends BaseElementType<Void> {

  public NullSink() {
    super("null", Role.SINK);
  }

  @Override
  public Void parse(JsonFields fields) {
    return null;
  }

  @Override
  public List<MechPair> pairs(Void options) {
    return List.of(MechPair.sink(Mechanism.PUSH, 0, 0), MechPair.sink(Mechanism.PULL, 0, 1));
  }

  @Override
  public String describe(Void options) {
    return "discards the bytes";
  }

  @Override
  public Element create(Void options) {
    return new ConsumingSink() {
      @Override
      protected void consume(Buffer buffer) {
        // discarded: the host counts the bytes
      }
    };
  }
}
