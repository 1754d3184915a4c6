package io.xfernode.api;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Where tokens, nonces, keys and ids come from: one DRBG (NIST SP 800-90A), seeded from the operating system
 * once, when this class loads ({@link #seed()} at node start). Drawing from it never touches a file, so an
 * event loop may call it; the platform default ({@code NativePRNG}, and so {@link UUID#randomUUID()}) reads
 * {@code /dev/urandom} on every refill.
 */
public final class Secrets {

  private static final SecureRandom RANDOM = create();

  private Secrets() {
  }

  private static SecureRandom create() {
    try {
      SecureRandom r = SecureRandom.getInstance("DRBG");
      r.nextBytes(new byte[16]); // seeds it now
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no DRBG", e);
    }
  }

  /** Seeds the generator now, on the caller's thread, so that no event loop does it later. */
  public static void seed() {
    // loading the class did it
  }

  /** @return a random (version 4) UUID, as {@link UUID#randomUUID()} makes, from this generator */
  public static UUID uuid() {
    byte[] b = bytes(16);
    b[6] = (byte) ((b[6] & 0x0f) | 0x40);
    b[8] = (byte) ((b[8] & 0x3f) | 0x80);
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    return new UUID(buf.getLong(), buf.getLong());
  }

  /** @return {@code n} random bytes */
  public static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /** Fills {@code b} with random bytes. */
  public static void fill(byte[] b) {
    RANDOM.nextBytes(b);
  }
}
