package io.xfernode.node.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Whether a configured listen address is loopback only, read from its text (no name is resolved). */
final class Loopback {

  private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  private Loopback() {
  }

  static boolean is(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1") || IPV4_LOOPBACK.matcher(h).matches();
  }
}
