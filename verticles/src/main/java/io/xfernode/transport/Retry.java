package io.xfernode.transport;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.time.Duration;

/**
 * How a connect is retried: with exponential backoff from {@code initialDelay} up to {@code maxDelay},
 * until {@code until} has passed since the first attempt. {@code until} of zero means one attempt.
 */
public record Retry(Duration until, Duration initialDelay, Duration maxDelay) {

  public static final Retry NONE = new Retry(Duration.ZERO, Duration.ofMillis(100), Duration.ofSeconds(2));
  public static final Retry DEFAULT = new Retry(Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2));

  public static Retry fromJson(String path, JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    JsonFields f = JsonFields.of(path, json, JsonFields.keys("until", "initialDelay", "maxDelay"));
    Retry r = new Retry(f.duration("until", DEFAULT.until), f.duration("initialDelay", DEFAULT.initialDelay),
      f.duration("maxDelay", DEFAULT.maxDelay));
    if (r.initialDelay.isZero() || r.maxDelay.compareTo(r.initialDelay) < 0) {
      throw XferException.badRequest(path, "initialDelay must be positive and at most maxDelay");
    }
    return r;
  }

  /** @return the delay after {@code delay}: doubled, capped */
  public Duration next(Duration delay) {
    Duration doubled = delay.multipliedBy(2);
    return doubled.compareTo(maxDelay) > 0 ? maxDelay : doubled;
  }
}
