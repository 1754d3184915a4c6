package io.xfernode.bus;

import io.xfernode.api.Addresses;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A fresh, unguessable data address: {@code xfer.data.} and 128 random bits. */
final class DataAddress {

  private static final SecureRandom RANDOM = new SecureRandom();

  private DataAddress() {
  }

  static String create() {
    byte[] token = new byte[16];
    RANDOM.nextBytes(token);
    return Addresses.DATA_PREFIX + HexFormat.of().formatHex(token);
  }
}
