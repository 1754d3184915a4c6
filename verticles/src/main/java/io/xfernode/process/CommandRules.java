package io.xfernode.process;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The commands process elements may run ({@code process.allow}, SPEC 2.5). An entry is a bare command,
 * which may take any arguments, or {@code {command, args: [patterns]}}, whose every argument must match one
 * of the patterns (Java regular expressions, matched against the whole argument); {@code args: []} allows
 * none. Either way, arguments that name paths must still stay inside the roots.
 */
public final class CommandRules {

  private static final int MAX_PATTERNS = 64;

  private final Map<String, List<Pattern>> rules;

  private CommandRules(Map<String, List<Pattern>> rules) {
    this.rules = Collections.unmodifiableMap(rules);
  }

  /** Bare commands, each with any arguments. */
  public static CommandRules commands(List<String> names) {
    Map<String, List<Pattern>> rules = new LinkedHashMap<>();
    names.forEach(n -> rules.put(n, null));
    return new CommandRules(rules);
  }

  /**
   * Reads {@code process.allow}.
   *
   * @throws IllegalArgumentException "key: reason", naming the entry
   */
  public static CommandRules parse(JsonArray entries, String key) {
    Map<String, List<Pattern>> rules = new LinkedHashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String at = key + "[" + i + "]";
      Object entry = entries.getValue(i);
      if (entry instanceof String) {
        rules.put(command((String) entry, at), null);
      } else if (entry instanceof JsonObject) {
        JsonObject o = (JsonObject) entry;
        for (String k : o.fieldNames()) {
          if (!k.equals("command") && !k.equals("args")) {
            throw new IllegalArgumentException(at + "." + k + ": unknown key; an entry has command and args");
          }
        }
        String name = command(o.getValue("command") instanceof String ? o.getString("command") : null, at + ".command");
        rules.put(name, patterns(o.getValue("args"), at + ".args"));
      } else {
        throw new IllegalArgumentException(at + ": must be a command or {command, args: [patterns]}, got "
          + JsonFields.describe(entry));
      }
    }
    return new CommandRules(rules);
  }

  private static String command(String name, String at) {
    if (name == null || name.isBlank() || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(at + ": must be a command name or path");
    }
    return name;
  }

  private static List<Pattern> patterns(Object args, String at) {
    if (args == null) {
      return null;
    }
    if (!(args instanceof JsonArray) || ((JsonArray) args).size() > MAX_PATTERNS) {
      throw new IllegalArgumentException(at + ": must be a list of at most " + MAX_PATTERNS + " patterns");
    }
    List<Pattern> list = new ArrayList<>();
    JsonArray array = (JsonArray) args;
    for (int i = 0; i < array.size(); i++) {
      Object p = array.getValue(i);
      if (!(p instanceof String)) {
        throw new IllegalArgumentException(at + "[" + i + "]: must be a regular expression, got " + JsonFields.describe(p));
      }
      try {
        list.add(Pattern.compile((String) p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(at + "[" + i + "]: not a regular expression: " + e.getDescription());
      }
    }
    return List.copyOf(list);
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The allowed commands, in the order configured. */
  public List<String> commands() {
    return List.copyOf(rules.keySet());
  }

  /**
   * @param command the command and its arguments
   * @param field   the option that holds it, e.g. {@code source.command}
   * @throws XferException 403 naming the command or the argument the rules do not allow
   */
  public void check(List<String> command, String field) {
    if (!rules.containsKey(command.get(0))) {
      throw XferException.forbidden(field, JsonFields.describe(command.get(0)) + " is not allow-listed");
    }
    List<Pattern> args = rules.get(command.get(0));
    if (args == null) {
      return;
    }
    for (int i = 1; i < command.size(); i++) {
      String arg = command.get(i);
      if (args.stream().noneMatch(p -> p.matcher(arg).matches())) {
        throw XferException.forbidden(field + "[" + i + "]", JsonFields.describe(arg) + " is not an argument "
          + "process.allow permits for " + JsonFields.describe(command.get(0)));
      }
    }
  }
}
