package io.xfernode.pool;

import io.vertx.core.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Map;

/**
 * The secrets nodes prove who they are with on the data port (SPEC 5). Every node makes a random key at
 * start and publishes it where only cluster members can read it; a node answers a peer's challenge with
 * an HMAC under its own key, and checks the peer's answer under the peer's.
 */
public interface NodeKeys {

  /** This node's own key. */
  byte[] own();

  /** The key {@code node} published; fails when the node is unknown. */
  Future<byte[]> of(String node);

  /** Keys known up front: for tests and tools. */
  static NodeKeys fixed(String self, Map<String, byte[]> keys) {
    return new NodeKeys() {
      @Override
      public byte[] own() {
        return keys.get(self);
      }

      @Override
      public Future<byte[]> of(String node) {
        byte[] key = keys.get(node);
        return key == null ? Future.failedFuture("no key for node " + node) : Future.succeededFuture(key);
      }
    };
  }

  /** HMAC-SHA256 of the handshake's fields, each length-prefixed so that no two lists of fields collide. */
  static byte[] mac(byte[] key, String label, String pool, String connecting, String accepting, byte[] nonce1,
                    byte[] nonce2) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (String s : new String[]{label, pool, connecting, accepting}) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        mac.update((byte) (b.length >>> 8));
        mac.update((byte) b.length);
        mac.update(b);
      }
      mac.update(nonce1);
      mac.update(nonce2);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
