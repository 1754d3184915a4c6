package io.xfernode.sink;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.util.List;

/**
 * {@code udp} sink: sends the stream as datagrams to {@code host}:{@code port}.
 *
 * <pre>
 * {"type": "udp", "host": "10.0.0.5", "port": 9000, "datagramSize": 1472, "rate": 10485760}
 * </pre>
 * <ul>
 *   <li>{@code datagramSize}: the payload of every datagram but the last, 1–65507 bytes; 1472 by default,
 *   which fits an Ethernet frame without IP fragmentation.</li>
 *   <li>{@code rate}: at most this many bytes per second, paced with timers in bursts of about 10 ms.
 *   Without it the sender goes as fast as its socket takes the datagrams, which overruns most
 *   receivers: UDP drops what a receiver cannot keep up with.</li>
 * </ul>
 * A few datagrams at most are in flight at once: the next ones are sent as earlier sends complete.
 */
public final class UdpSink extends BaseElementType<UdpSink.Options> {

  public UdpSink() {
    super("udp", Role.SINK, "host", "port", "datagramSize", "rate");
  }

  public static final int DEFAULT_DATAGRAM_SIZE = 1472;
  /** The largest UDP payload over IPv4: 65535 - 20 (IP header) - 8 (UDP header). */
  public static final int MAX_DATAGRAM_SIZE = 65507;

  /**
   * @param host         where to send
   * @param port         the peer's port
   * @param datagramSize the payload bytes per datagram
   * @param rate         bytes per second, or 0 for no pacing
   */
  public record Options(String host, int port, int datagramSize, long rate) {
  }

  @Override
  public Options parse(JsonFields f) {
    String host = unbracket(f.string("host"));
    if (!host.matches("[A-Za-z0-9.:_%\\[\\]-]{1,253}")) {
      throw XferException.badRequest(f.field("host"), "not a host name or address: " + JsonFields.describe(host));
    }
    if (!f.has("port")) {
      throw XferException.badRequest(f.field("port"), "is required");
    }
    return new Options(host, f.integer("port", 0, 1, 65535),
      f.integer("datagramSize", DEFAULT_DATAGRAM_SIZE, 1, MAX_DATAGRAM_SIZE),
      f.number("rate", 0, 1, Long.MAX_VALUE));
  }

  /** @return an IPv6 literal without its URI brackets ({@code [::1]} → {@code ::1}); other hosts as they are */
  public static String unbracket(String host) {
    return host != null && host.length() > 2 && host.startsWith("[") && host.endsWith("]")
      ? host.substring(1, host.length() - 1) : host;
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return "sends datagrams of " + o.datagramSize() + " bytes to udp " + o.host() + ":" + o.port()
      + (o.rate() > 0 ? " at most " + o.rate() + " bytes/s" : "");
  }

  @Override
  public Element create(Options o) {
    return new UdpSender(o);
  }
}
