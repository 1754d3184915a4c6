package io.xfernode.net;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.transport.TlsConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The options of the {@code http} source and sink, validated at the edge:
 * <pre>
 * {"url": "https://host/x", "method": "PUT"|"POST", "headers": {"X-Name": "value"}, "timeout": "PT30S",
 *  "tls": {…TlsConfig…}}
 * </pre>
 * {@code method} is the sink's alone. A user name and password in the URL become a basic
 * {@code Authorization} header (unless {@code headers} has one) and never appear in messages.
 *
 * @param url     the URL without its user info or fragment: what is requested and shown
 * @param method  GET for the source, PUT or POST for the sink
 * @param headers the request's headers, in the order given
 * @param timeout connecting plus waiting for the response's head, or {@code null} for no limit
 * @param tls     the trust (and key) settings for https, or {@code null} for the JVM's defaults
 */
public record HttpOptions(String url, HttpMethod method, Map<String, String> headers, Duration timeout,
                          TlsConfig tls) {

  public static final Set<String> SOURCE_KEYS = Set.of("url", "headers", "timeout", "tls");
  public static final Set<String> SINK_KEYS = Set.of("url", "method", "headers", "timeout", "tls");
  /** How many redirects a GET follows. */
  public static final int MAX_REDIRECTS = 16;
  public static final int MAX_HEADERS = 64;
  private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}";

  /** @param upload whether this is the sink's (PUT or POST) rather than the source's (GET) */
  public static HttpOptions parse(JsonFields f, boolean upload) {
    Map<String, String> headers = headers(f);
    String url = url(f, headers);
    HttpMethod method = upload ? HttpMethod.valueOf(f.choice("method", "PUT", "PUT", "POST")) : HttpMethod.GET;
    Duration timeout = f.duration("timeout", null);
    if (timeout != null && (timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE)) {
      throw XferException.badRequest(f.field("timeout"), "must be positive and at most " + Integer.MAX_VALUE + " ms");
    }
    TlsConfig tls = TlsConfig.fromJson(f.field("tls"), f.object("tls"));
    return new HttpOptions(url, method, Collections.unmodifiableMap(headers), timeout, tls);
  }

  private static String url(JsonFields f, Map<String, String> headers) {
    String text = f.string("url");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw XferException.badRequest(f.field("url"), "not a URL: " + JsonFields.describe(text));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw XferException.badRequest(f.field("url"), "must be an http or https URL, got " + JsonFields.describe(text));
    }
    if (uri.getHost() == null || uri.getPort() == 0 || uri.getPort() > 65535) {
      throw XferException.badRequest(f.field("url"), "needs a host (and a port from 1 to 65535), got "
        + JsonFields.describe(text));
    }
    if (uri.getRawUserInfo() != null && headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("Authorization"))) {
      // getUserInfo decodes %XX; a '+' stays a '+', as in any URI part but a form's query
      String user = uri.getUserInfo();
      headers.put(HttpHeaders.AUTHORIZATION.toString(),
        "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    String host = uri.getHost();
    host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return scheme + "://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path
      + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static Map<String, String> headers(JsonFields f) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonObject json = f.object("headers");
    if (json == null) {
      return out;
    }
    if (json.size() > MAX_HEADERS) {
      throw XferException.badRequest(f.field("headers"), "must have at most " + MAX_HEADERS + " entries, got "
        + json.size());
    }
    for (String name : json.fieldNames()) {
      String field = f.field("headers") + "." + name;
      if (!name.matches(TOKEN)) {
        throw XferException.badRequest(field, "not a valid header name");
      }
      Object value = json.getValue(name);
      if (!(value instanceof String)) {
        throw XferException.badRequest(field, "must be a string, got " + JsonFields.describe(value));
      }
      // a line break would let a value smuggle in headers of its own
      if (((String) value).chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw XferException.badRequest(field, "must not contain line breaks");
      }
      out.put(name, (String) value);
    }
    return out;
  }

  /** @return whether {@code headers} sets {@code name}, ignoring case */
  public boolean hasHeader(CharSequence name) {
    return headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase(name.toString()));
  }

  /** @return the options of a client for this element alone: no decompression, so bytes pass as sent */
  public HttpClientOptions clientOptions() {
    HttpClientOptions o = new HttpClientOptions().setMaxRedirects(MAX_REDIRECTS).setDecompressionSupported(false)
      .setTcpNoDelay(true);
    if (timeout != null) {
      o.setConnectTimeout((int) timeout.toMillis());
    }
    if (tls != null) {
      tls.applyTo(o);
    }
    return o;
  }

  /** @return the request: GET follows redirects; an upload does not, as its streamed body cannot be sent twice */
  public RequestOptions requestOptions() {
    RequestOptions o = new RequestOptions().setMethod(method).setAbsoluteURI(url)
      .setFollowRedirects(method == HttpMethod.GET);
    headers.forEach(o::putHeader);
    if (timeout != null) {
      o.setConnectTimeout(timeout.toMillis());
    }
    return o;
  }

  /** @return e.g. {@code GET http://host/x}, for messages */
  public String describe() {
    return method.name() + " " + url;
  }
}
