package io.xfernode.node.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Access;
import io.xfernode.node.auth.Tokens;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code auth {tokens: [{name, token | tokenFile, role}], allowAnonymous, openHealth}} (SPEC 2.5). A token may
 * also be written {@code "name:role:secret"}, the form {@code XFER_AUTH_TOKENS} takes as a comma-separated
 * list. A secret has at least {@value #MIN_SECRET} characters; names and secrets are unique.
 */
final class AuthConfig {

  static final int MIN_SECRET = 16;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Set<String> TOKEN_KEYS = Set.of("name", "token", "tokenFile", "role");

  private AuthConfig() {
  }

  /** @return the tokens; reads token files (blocking: config is loaded off the event loops) */
  static Tokens tokens(ConfigReader r) {
    ConfigReader.refuseUnknown("auth", r.object("auth"), Set.of("tokens", "allowAnonymous", "openHealth"));
    JsonArray list = r.array("auth.tokens");
    List<Tokens.Token> tokens = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String key = "auth.tokens[" + i + "]";
      Object entry = list.getValue(i);
      Tokens.Token t;
      if (entry instanceof String) {
        t = compact(key, (String) entry);
      } else if (entry instanceof JsonObject) {
        t = object(key, (JsonObject) entry);
      } else {
        throw new ConfigException(key, "must be {name, token | tokenFile, role} or \"name:role:token\", got "
          + ConfigReader.describe(entry));
      }
      if (!names.add(t.name())) {
        throw new ConfigException(key + ".name", "\"" + t.name() + "\" names two tokens");
      }
      if (!secrets.add(t.secret())) {
        throw new ConfigException(key + ".token", "the same secret is given to two tokens");
      }
      tokens.add(t);
    }
    return Tokens.of(tokens);
  }

  static boolean flag(ConfigReader r, String key) {
    Object v = r.value(key);
    if (!(v instanceof Boolean)) {
      throw new ConfigException(key, "must be true or false, got " + ConfigReader.describe(v));
    }
    return (Boolean) v;
  }

  private static Tokens.Token compact(String key, String text) {
    String[] parts = text.split(":", 3);
    if (parts.length != 3) {
      throw new ConfigException(key, "must be \"name:role:token\"");
    }
    return token(key, parts[0], parts[1], parts[2]);
  }

  private static Tokens.Token object(String key, JsonObject o) {
    ConfigReader.refuseUnknown(key, o, TOKEN_KEYS);
    Object secret = o.getValue("token");
    Object file = o.getValue("tokenFile");
    if ((secret == null) == (file == null)) {
      throw new ConfigException(key, "needs exactly one of token and tokenFile");
    }
    String name = o.getValue("name") instanceof String ? o.getString("name") : null;
    String role = o.getValue("role") instanceof String ? o.getString("role") : null;
    if (file != null) {
      if (!(file instanceof String)) {
        throw new ConfigException(key + ".tokenFile", "must be a file path, got " + ConfigReader.describe(file));
      }
      return token(key, name, role, read(key + ".tokenFile", (String) file));
    }
    if (!(secret instanceof String)) {
      throw new ConfigException(key + ".token", "must be a string, got " + ConfigReader.describe(secret));
    }
    return token(key, name, role, (String) secret);
  }

  private static Tokens.Token token(String key, String name, String role, String secret) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new ConfigException(key + ".name", "must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
    }
    Access access = Access.parse(role);
    if (access == null) {
      throw new ConfigException(key + ".role", "must be read, submit or admin, got " + ConfigReader.describe(role));
    }
    if (secret.length() < MIN_SECRET || secret.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw new ConfigException(key + ".token", "must be at least " + MIN_SECRET + " printable characters "
        + "without spaces (for example: openssl rand -hex 32)");
    }
    return new Tokens.Token(name, secret, access);
  }

  private static String read(String key, String file) {
    try {
      Path p = Paths.get(file);
      return Files.readString(p, StandardCharsets.UTF_8).strip();
    } catch (InvalidPathException e) {
      throw new ConfigException(key, "not a valid path: " + e.getReason());
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + ": " + e.getClass().getSimpleName());
    }
  }
}
