package io.xfernode.source;

/**
 * The byte stream of the {@code random} source: a seeded xorshift-multiply generator over 8-byte words, so
 * that any range of the stream can be made on its own. Tests use it to know every byte a transfer must
 * deliver.
 */
public final class RandomBytes {

  private RandomBytes() {
  }

  /** Fills {@code out[from..from+len)} with the stream's bytes starting at {@code offset}. */
  public static void fill(long seed, long offset, byte[] out, int from, int len) {
    long word = offset >>> 3;
    int skip = (int) (offset & 7);
    int i = from;
    int end = from + len;
    while (i < end) {
      long v = mix(seed, word++);
      for (int b = skip; b < 8 && i < end; b++) {
        out[i++] = (byte) (v >>> (b << 3));
      }
      skip = 0;
    }
  }

  /** @return {@code length} bytes of the stream of {@code seed}, from its start */
  public static byte[] bytes(long seed, int length) {
    byte[] out = new byte[length];
    fill(seed, 0, out, 0, length);
    return out;
  }

  // SplitMix64's finaliser over (seed, word index): a fast, well-mixed, stateless function
  private static long mix(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + (index + 1) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
