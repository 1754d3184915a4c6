package io.xfernode.filter;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.util.List;

/**
 * {@code throttle} filter: passes the bytes on at no more than {@code rate} bytes per second on average,
 * from the first byte to the end. The engine adds one for {@code options.rateLimit}.
 */
public final class ThrottleFilter extends BaseElementType<Long> {

  public ThrottleFilter() {
    super("throttle", Role.FILTER, "rate");
  }

  @Override
  public Long parse(JsonFields f) {
    if (!f.has("rate")) {
      throw XferException.badRequest(f.field("rate"), "is required");
    }
    return f.number("rate", 0, 1, Long.MAX_VALUE);
  }

  @Override
  public List<MechPair> pairs(Long rate) {
    return List.of(MechPair.filter(Mechanism.PUSH, Mechanism.PUSH, 0, 0));
  }

  @Override
  public String describe(Long rate) {
    return "passes the bytes on at most " + rate + " bytes/s";
  }

  @Override
  public Element create(Long rate) {
    return new Throttle(rate);
  }
}
