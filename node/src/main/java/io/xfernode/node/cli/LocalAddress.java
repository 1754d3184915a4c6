package io.xfernode.node.cli;

import io.xfernode.node.config.ConfigException;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;

/**
 * Checks, before anything starts, that an address the node must bind to resolves and belongs to this
 * machine, so that a typo ends in one line naming the key instead of a failed cluster start. It may
 * ask DNS, so it runs on the main thread, never on an event loop.
 */
final class LocalAddress {

  private LocalAddress() {
  }

  static void check(String key, String host) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ConfigException(key, "cannot resolve \"" + host + "\"");
    }
    try {
      if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
        && NetworkInterface.getByInetAddress(address) == null) {
        throw new ConfigException(key, host + " is not an address of this machine, so nothing can listen on it");
      }
    } catch (SocketException e) {
      throw new ConfigException(key, "cannot list this machine's addresses: " + e.getMessage());
    }
  }
}
