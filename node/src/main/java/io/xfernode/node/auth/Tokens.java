package io.xfernode.node.auth;

import io.xfernode.api.Access;
import io.xfernode.api.Caller;
import io.xfernode.api.XferException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The node's tokens ({@code auth.tokens}, SPEC 2.5) and the one check every edge makes with them: a
 * request's {@code Authorization: Bearer <token>} names a caller, or it is refused with 401.
 *
 * <p>Only SHA-256 digests of the secrets are kept, and a presented token is compared with every one of
 * them in constant time, so neither the time taken nor an early exit tells an attacker how close a guess
 * came or which token matched.
 */
public final class Tokens {

  /** A configured token: its name (kept as a transfer's {@code submittedBy}), its secret and its role. */
  public record Token(String name, String secret, Access access) {
    @Override
    public String toString() {
      return "Token[" + name + ", " + access.label() + "]";
    }
  }

  private static final String BEARER = "bearer ";

  private final List<Token> tokens;
  private final byte[][] digests;

  private Tokens(List<Token> tokens) {
    this.tokens = List.copyOf(tokens);
    this.digests = new byte[tokens.size()][];
    for (int i = 0; i < tokens.size(); i++) {
      digests[i] = sha256(tokens.get(i).secret());
    }
  }

  public static Tokens of(List<Token> tokens) {
    return new Tokens(tokens);
  }

  /** No tokens: the node is open to whoever reaches its control ports (loopback only, unless told). */
  public static Tokens none() {
    return new Tokens(List.of());
  }

  /** Whether requests must carry a token. */
  public boolean required() {
    return !tokens.isEmpty();
  }

  public List<Token> tokens() {
    return tokens;
  }

  /**
   * @param authorization the request's authorization header ({@code Bearer <token>}), or null
   * @param field         where it was expected, for the message ({@code Authorization},
   *                      {@code headers.authorization})
   * @return the caller the token names; {@code null} when no tokens are configured
   * @throws XferException 401 naming {@code field} when tokens are configured and it names none
   */
  public Caller authenticate(String authorization, String field) {
    if (!required()) {
      return null;
    }
    if (authorization == null || authorization.isBlank()) {
      throw XferException.unauthorized(field, "a token is required: \"Bearer <token>\"");
    }
    if (authorization.length() <= BEARER.length()
      || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw XferException.unauthorized(field, "must be \"Bearer <token>\"");
    }
    byte[] presented = sha256(authorization.substring(BEARER.length()).trim());
    int found = -1;
    for (int i = 0; i < digests.length; i++) {
      // every digest is compared, whichever matches
      if (MessageDigest.isEqual(presented, digests[i])) {
        found = i;
      }
    }
    if (found < 0) {
      throw XferException.unauthorized(field, "unknown token");
    }
    Token t = tokens.get(found);
    return new Caller(t.name(), t.access());
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }
}
