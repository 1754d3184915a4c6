package io.xfernode.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.link.Buffers;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;

/** The checksum algorithms of SPEC 2.4, behind one small interface. */
public final class Digests {

  public static final List<String> ALGORITHMS = List.of("crc32c", "sha256", "md5");

  private Digests() {
  }

  /** A running checksum; not thread-safe. */
  public interface Digest {
    void update(ByteBuffer bytes);

    default void update(Buffer buffer) {
      update(Buffers.nio(buffer));
    }

    /** @return the lower-case hex value */
    String hex();
  }

  /** @return the canonical name of {@code name}, or a 400 naming {@code field} */
  public static String algorithm(String field, String name) {
    String n = name == null ? "" : name.toLowerCase().replace("-", "");
    if (!ALGORITHMS.contains(n)) {
      throw XferException.badRequest(field, "unknown checksum algorithm " + JsonFields.describe(name)
        + " (known: " + String.join(", ", ALGORITHMS) + ")");
    }
    return n;
  }

  public static Digest create(String algorithm) {
    switch (algorithm) {
      case "crc32c":
        return new Crc32c();
      case "sha256":
        return new Jdk("SHA-256");
      case "md5":
        return new Jdk("MD5");
      default:
        throw new IllegalArgumentException("unknown algorithm " + algorithm);
    }
  }

  public static JsonObject json(String algorithm, String value) {
    return new JsonObject().put("algorithm", algorithm).put("value", value);
  }

  private static final class Crc32c implements Digest {
    private final CRC32C crc = new CRC32C();

    @Override
    public void update(ByteBuffer bytes) {
      crc.update(bytes);
    }

    @Override
    public String hex() {
      return String.format("%08x", crc.getValue());
    }
  }

  private static final class Jdk implements Digest {
    private final MessageDigest md;

    Jdk(String name) {
      try {
        md = MessageDigest.getInstance(name);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(name + " is missing from this JDK", e);
      }
    }

    @Override
    public void update(ByteBuffer bytes) {
      md.update(bytes);
    }

    @Override
    public String hex() {
      return HexFormat.of().formatHex(md.digest());
    }
  }
}
