package io.xfernode.sink;

import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.net.HttpOptions;

import java.util.List;

/**
 * {@code http} sink: uploads the stream as the body of a PUT (the default) or a POST to {@code url}.
 *
 * <pre>
 * {"type": "http", "url": "https://host/upload/big.bin", "method": "PUT"|"POST",
 *  "headers": {"Content-Type": "application/octet-stream"}, "timeout": "PT30S", "tls": {…}}
 * </pre>
 * The body streams with backpressure, chunked unless {@code headers} gives a {@code Content-Length} (which
 * must then be right). The connection is made at setup, so an unreachable server fails the transfer before
 * anything runs. The sink is done when the whole body is sent and a 2xx response has arrived; any other
 * status fails the transfer with the status in the message (404 → 404, 5xx → 503, other → 400; see
 * {@link io.xfernode.net.HttpFailures}). Redirects are not followed: a streamed body cannot be sent twice.
 * {@code timeout} bounds connecting, and the wait for the response once the body is sent. A cancelled or
 * failed transfer resets the request, so the server sees an aborted upload, never a complete one.
 */
public final class HttpSink extends BaseElementType<HttpOptions> {

  public HttpSink() {
    super("http", Role.SINK, HttpOptions.SINK_KEYS);
  }

  @Override
  public HttpOptions parse(JsonFields f) {
    return HttpOptions.parse(f, true);
  }

  @Override
  public List<MechPair> pairs(HttpOptions o) {
    return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(HttpOptions o) {
    return "uploads the bytes with " + o.describe();
  }

  @Override
  public Element create(HttpOptions o) {
    return new HttpUpload(o);
  }
}
