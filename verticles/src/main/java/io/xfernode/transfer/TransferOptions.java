package io.xfernode.transfer;

import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.filter.Digests;

import java.time.Duration;
import java.util.Set;

/**
 * The {@code options} of a transfer spec (SPEC 2.2).
 *
 * @param checksum         the algorithm verified end to end, or {@code null}
 * @param expectedChecksum a hex digest the bytes must have, or {@code null}
 * @param rateLimit        bytes per second, 0 for no limit
 * @param timeout          the deadline from submit, or {@code null}
 * @param verify           whether a file sink reads back what it wrote, before the rename, and compares it
 *                         with the checksum of the bytes that arrived (a checksum is then sha256 by default)
 */
public record TransferOptions(String checksum, String expectedChecksum, int streams, String pool, boolean resume,
                              long rateLimit, Duration timeout, String hop, boolean verify) {

  static final Set<String> KEYS = JsonFields.keys("checksum", "streams", "pool", "resume", "rateLimit", "timeout",
    "hop", "verify");

  public static final TransferOptions NONE = new TransferOptions(null, null, 1, "default", false, 0, null, "pool",
    false);

  /** @return these options with {@code resume} on (the file sink asked for it itself) */
  TransferOptions withResume() {
    return new TransferOptions(checksum, expectedChecksum, streams, pool, true, rateLimit, timeout, hop, verify);
  }

  static TransferOptions fromJson(JsonObject json) {
    if (json == null) {
      return NONE;
    }
    JsonFields f = JsonFields.of("options", json, KEYS);
    String algorithm = null;
    String expected = null;
    Object checksum = json.getValue("checksum");
    if (checksum instanceof String) {
      algorithm = Digests.algorithm(f.field("checksum"), (String) checksum);
    } else if (checksum instanceof JsonObject) {
      JsonFields c = JsonFields.of(f.field("checksum"), (JsonObject) checksum, JsonFields.keys("algorithm", "expected"));
      algorithm = Digests.algorithm(c.field("algorithm"), c.string("algorithm"));
      expected = c.string("expected", null);
      if (expected != null && !expected.matches("[0-9a-fA-F]{8,128}")) {
        throw XferException.badRequest(c.field("expected"), "must be a hex digest");
      }
      expected = expected == null ? null : expected.toLowerCase();
    } else if (checksum != null) {
      throw XferException.badRequest(f.field("checksum"), "must be an algorithm (crc32c, sha256, md5) or "
        + "{\"algorithm\", \"expected\"}, got " + JsonFields.describe(checksum));
    }
    Duration timeout = f.duration("timeout", null);
    if (timeout != null && timeout.isZero()) {
      throw XferException.badRequest(f.field("timeout"), "must be positive");
    }
    String hop = f.choice("hop", "pool", "pool", "direct");
    boolean verify = f.bool("verify", false);
    if (verify && algorithm == null) {
      // reading back what was written means comparing it with the bytes that arrived: that needs a checksum
      algorithm = "sha256";
    }
    return new TransferOptions(algorithm, expected,
      f.integer("streams", 1, 1, 64),
      f.string("pool", "default"),
      f.bool("resume", false),
      f.number("rateLimit", 0, 0, Long.MAX_VALUE),
      timeout,
      hop,
      verify);
  }
}
