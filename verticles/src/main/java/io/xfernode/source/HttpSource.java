package io.xfernode.source;

import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.net.HttpOptions;

import java.util.List;

/**
 * {@code http} source: the body of a GET on {@code url} (http or https), following up to
 * {@value HttpOptions#MAX_REDIRECTS} redirects.
 *
 * <pre>
 * {"type": "http", "url": "https://host/big.bin", "headers": {"Authorization": "Bearer …"},
 *  "timeout": "PT30S", "tls": {"pemTrust": {"certPaths": ["ca.pem"]}}}
 * </pre>
 * The GET is sent at setup, so that the body's length (when the server gives one) is the transfer's total,
 * and a missing resource fails the transfer before anything runs; the response's head must therefore come
 * within the setup time. {@code timeout} bounds connecting plus the wait for that head. The body then flows
 * with backpressure into the output. An answer that is not 2xx fails the transfer with its status in the
 * message: 404 → 404, 5xx → 503, other statuses → 400 (see {@link io.xfernode.net.HttpFailures}).
 */
public final class HttpSource extends BaseElementType<HttpOptions> {

  public HttpSource() {
    super("http", Role.SOURCE, HttpOptions.SOURCE_KEYS);
  }

  @Override
  public HttpOptions parse(JsonFields f) {
    return HttpOptions.parse(f, false);
  }

  @Override
  public List<MechPair> pairs(HttpOptions o) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(HttpOptions o) {
    return "the body of " + o.describe();
  }

  @Override
  public Element create(HttpOptions o) {
    return new HttpGet(o);
  }
}
