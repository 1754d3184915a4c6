package io.xfernode.bus;

import io.xfernode.api.Addresses;

import java.util.HexFormat;

/** A fresh, unguessable data address: {@code xfer.data.} and 128 random bits. */
final class DataAddress {


  private DataAddress() {
  }

  static String create() {
    byte[] token = new byte[16];
    io.xfernode.api.Secrets.fill(token);
    return Addresses.DATA_PREFIX + HexFormat.of().formatHex(token);
  }
}
