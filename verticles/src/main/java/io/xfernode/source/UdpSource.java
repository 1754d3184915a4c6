package io.xfernode.source;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.sink.UdpSink;

import java.time.Duration;
import java.util.List;

/**
 * {@code udp} source: the payloads of the datagrams that arrive on a UDP port, one buffer per datagram, in
 * the order they arrive.
 *
 * <pre>
 * {"type": "udp", "host": "0.0.0.0", "port": 0, "idleTimeout": "PT5S", "length": 1048576,
 *  "receiveBuffer": 262144}
 * </pre>
 * <ul>
 *   <li>{@code host}, {@code port}: where to bind; the node's host and any free port by default. The bound
 *   address is published as the element's {@code listen} endpoint, in the submit's reply and the status.</li>
 *   <li>{@code idleTimeout}: the stream ends (normally) after this long without a datagram, counted from the
 *   start; 5 s by default.</li>
 *   <li>{@code length}: the stream ends once this many bytes arrived; the datagram that crosses it is cut.</li>
 *   <li>{@code receiveBuffer}: the socket's receive buffer (SO_RCVBUF, which the kernel may cap at
 *   {@code net.core.rmem_max}), 256 KiB by default: what absorbs bursts while the event loop is busy. Vert.x
 *   also reads each datagram into a buffer of this size, so it is at least 64 KiB (any datagram arrives
 *   whole), and beyond about 1 MiB each read gets slower.</li>
 * </ul>
 * UDP has no backpressure: a datagram that arrives while the output is full is dropped and counted. The
 * result carries {@code {"datagrams", "dropped"}}, and an INFO reports them at the end.
 */
public final class UdpSource extends BaseElementType<UdpSource.Options> {

  public UdpSource() {
    super("udp", Role.SOURCE, "host", "port", "idleTimeout", "length", "receiveBuffer");
  }

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_RECEIVE_BUFFER = 256 * 1024;
  /** The smallest receive buffer: above the largest UDP payload, 65507 bytes. */
  public static final int MIN_RECEIVE_BUFFER = 64 * 1024;
  public static final int MAX_RECEIVE_BUFFER = 16 << 20;

  /**
   * @param host          the bind address, or {@code null} for the node's host
   * @param port          the port, 0 for any free one
   * @param idleTimeout   how long without a datagram ends the stream
   * @param length        the bytes that end the stream, or -1
   * @param receiveBuffer the socket's receive buffer in bytes
   */
  public record Options(String host, int port, Duration idleTimeout, long length, int receiveBuffer) {
  }

  @Override
  public Options parse(JsonFields f) {
    String host = UdpSink.unbracket(f.string("host", null));
    if (host != null && !host.matches("[A-Za-z0-9.:_%\\[\\]-]{1,253}")) {
      throw XferException.badRequest(f.field("host"), "not a host name or address: " + JsonFields.describe(host));
    }
    Duration idle = f.duration("idleTimeout", DEFAULT_IDLE_TIMEOUT);
    if (idle.isZero() || idle.toMillis() > Integer.MAX_VALUE) {
      throw XferException.badRequest(f.field("idleTimeout"), "must be positive and at most "
        + Integer.MAX_VALUE + " ms");
    }
    return new Options(host, f.integer("port", 0, 0, 65535), idle, f.number("length", -1, 1, Long.MAX_VALUE),
      f.integer("receiveBuffer", DEFAULT_RECEIVE_BUFFER, MIN_RECEIVE_BUFFER, MAX_RECEIVE_BUFFER));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return "receives datagrams on udp " + (o.host() == null ? "<node host>" : o.host()) + ":" + o.port()
      + (o.length() >= 0 ? " up to " + o.length() + " bytes" : "") + ", ending after " + o.idleTimeout() + " idle";
  }

  @Override
  public Element create(Options o) {
    return new UdpReceiver(o);
  }
}
