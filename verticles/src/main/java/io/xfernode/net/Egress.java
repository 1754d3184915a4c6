package io.xfernode.net;

import io.vertx.core.json.JsonArray;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where elements that connect out may go (SPEC 5, {@code egress}): the {@code http} source and sink,
 * {@code tcp} in connect mode and the {@code udp} sink. A target's name is resolved first and every address
 * it resolves to is checked, and the element then connects to the address that was checked, so a name that
 * resolves differently the second time gets nowhere new. Refused, with 403 naming the field:
 * <ul>
 *   <li>the node's own bridge, HTTP, data and cluster ports on any of its own addresses, always;</li>
 *   <li>a target a {@code deny} rule matches;</li>
 *   <li>with {@code allow} rules, a target none of them matches.</li>
 * </ul>
 * A rule is a host name ({@code files.example.com}, or {@code *.example.com} for its subdomains), an
 * address, or a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}), each with an optional port
 * ({@code files.example.com:443}, {@code [::1]:8080}, {@code 10.0.0.0/8:22}).
 */
public final class Egress {

  /** No rules: only the node's own ports are refused (none known yet). */
  public static Egress open() {
    return new Egress(List.of(), List.of());
  }

  private final List<Rule> allow;
  private final List<Rule> deny;
  private final Set<Integer> ownPorts = ConcurrentHashMap.newKeySet();

  private Egress(List<Rule> allow, List<Rule> deny) {
    this.allow = allow;
    this.deny = deny;
  }

  /**
   * @param allow {@code egress.allow}; empty: anything not denied
   * @param deny  {@code egress.deny}
   * @throws IllegalArgumentException naming the rule that does not parse, as {@code "<key>[i]: <why>"}
   */
  public static Egress of(JsonArray allow, JsonArray deny) {
    return new Egress(rules("egress.allow", allow), rules("egress.deny", deny));
  }

  private static List<Rule> rules(String key, JsonArray json) {
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      Object o = json.getValue(i);
      if (!(o instanceof String)) {
        throw new IllegalArgumentException(key + "[" + i + "]: must be a host, address or CIDR block, with an "
          + "optional :port");
      }
      rules.add(Rule.parse(key + "[" + i + "]", (String) o));
    }
    return List.copyOf(rules);
  }

  /** Adds ports of this node's own (bridge, HTTP, data, cluster) that no element may connect to. */
  public void ownPorts(int... ports) {
    for (int p : ports) {
      if (p > 0) {
        ownPorts.add(p);
      }
    }
  }

  /**
   * Resolves {@code host} and checks every address it has; blocking (name resolution), so only off the
   * event loop.
   *
   * @param field the element option the target came from, for messages
   * @return the address to connect to: the first one, checked
   * @throws XferException 403 naming {@code field}, or 503 if the name does not resolve
   */
  public InetAddress check(String host, int port, String field) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new XferException(ErrorCode.UNAVAILABLE, field + ": cannot resolve " + host);
    }
    for (InetAddress a : all) {
      String target = host + ":" + port + (host.equals(a.getHostAddress()) ? "" : " (" + a.getHostAddress() + ")");
      if (ownPorts.contains(port) && own(a)) {
        throw XferException.forbidden(field, target + " is a control, data or cluster port of this node");
      }
      if (deny.stream().anyMatch(r -> r.matches(host, a, port))) {
        throw XferException.forbidden(field, target + " is denied by egress.deny");
      }
      if (!allow.isEmpty() && allow.stream().noneMatch(r -> r.matches(host, a, port))) {
        throw XferException.forbidden(field, target + " is not in egress.allow");
      }
    }
    return all[0];
  }

  /**
   * @return where to connect: the address that was checked, under the name it was asked by, so that TLS
   *     still verifies (and SNI still names) the host while nothing resolves it again
   */
  public static io.vertx.core.net.SocketAddress target(String host, InetAddress checked, int port) {
    try {
      return io.vertx.core.net.SocketAddress.inetSocketAddress(
        new java.net.InetSocketAddress(InetAddress.getByAddress(host, checked.getAddress()), port));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("an address of " + checked.getAddress().length + " bytes", e);
    }
  }

  private static boolean own(InetAddress a) {
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return true; // cannot tell: assume the worst
    }
  }

  /** One rule: a host name pattern, or an address block; and a port or any. */
  private record Rule(String name, byte[] block, int prefix, int port) {

    static Rule parse(String key, String text) {
      String s = text.trim().toLowerCase(Locale.ROOT);
      int port = -1;
      String hostPart = s;
      if (s.startsWith("[")) { // [v6] or [v6]:port, with an optional /prefix inside or after
        int close = s.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException(key + ": an unclosed '[' in " + text);
        }
        hostPart = s.substring(1, close);
        String rest = s.substring(close + 1);
        if (rest.startsWith("/")) {
          int colon = rest.indexOf(':');
          hostPart += colon < 0 ? rest : rest.substring(0, colon);
          rest = colon < 0 ? "" : rest.substring(colon);
        }
        if (!rest.isEmpty()) {
          port = port(key, text, rest.startsWith(":") ? rest.substring(1) : rest);
        }
      } else if (s.chars().filter(c -> c == ':').count() == 1) { // name:port or v4[/prefix]:port
        int colon = s.indexOf(':');
        hostPart = s.substring(0, colon);
        port = port(key, text, s.substring(colon + 1));
      }
      if (hostPart.isEmpty()) {
        throw new IllegalArgumentException(key + ": no host in " + text);
      }
      int slash = hostPart.indexOf('/');
      String addr = slash < 0 ? hostPart : hostPart.substring(0, slash);
      if (addr.matches("[0-9.]+") || addr.contains(":")) {
        byte[] bytes = literal(key, text, addr);
        int prefix = slash < 0 ? bytes.length * 8 : port(key, text, hostPart.substring(slash + 1));
        if (prefix > bytes.length * 8) {
          throw new IllegalArgumentException(key + ": the prefix of " + text + " is longer than the address");
        }
        return new Rule(null, bytes, prefix, port);
      }
      if (slash >= 0 || !addr.matches("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
        throw new IllegalArgumentException(key + ": not a host, address or CIDR block: " + text);
      }
      return new Rule(addr, null, 0, port);
    }

    private static int port(String key, String text, String digits) {
      if (!digits.matches("[0-9]{1,5}") || Integer.parseInt(digits) > 65535) {
        throw new IllegalArgumentException(key + ": not a port or prefix: " + digits + " in " + text);
      }
      return Integer.parseInt(digits);
    }

    private static byte[] literal(String key, String text, String addr) {
      try {
        // a literal: getByName parses it and never asks a resolver
        return InetAddress.getByName(addr).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(key + ": not an address: " + text);
      }
    }

    boolean matches(String host, InetAddress a, int targetPort) {
      if (port >= 0 && port != targetPort) {
        return false;
      }
      if (name != null) {
        String h = host.toLowerCase(Locale.ROOT);
        return name.startsWith("*.") ? h.endsWith(name.substring(1)) : h.equals(name);
      }
      byte[] b = a.getAddress();
      if (b.length != block.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (b[i] != block[i]) {
          return false;
        }
      }
      int bits = prefix % 8;
      return bits == 0 || ((b[full] ^ block[full]) & (0xff << (8 - bits)) & 0xff) == 0;
    }
  }
}
