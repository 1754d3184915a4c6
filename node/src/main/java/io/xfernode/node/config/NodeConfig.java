package io.xfernode.node.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.XferException;
import io.xfernode.pool.PoolDef;
import io.xfernode.transport.TlsConfig;

import java.net.InetAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validated configuration of one node (SPEC 2.5). Built by {@link NodeConfigLoader} from the merged
 * layers; {@link #fromJson} refuses any bad or unknown value with a {@link ConfigException} naming its key.
 */
public final class NodeConfig {

  static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  /** The longest default id, leaving room in {@link #NODE_ID}'s 64 for a suffix such as {@code -999}. */
  public static final int MAX_BASE_ID = 56;
  static final Pattern ROOT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:_%-]{1,253}");
  private static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,200}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  /** A browser origin: scheme, host and optional port, nothing else. */
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.:_\\[\\]-]{1,253}(:[0-9]{1,5})?");

  private static final Set<String> TOP_KEYS = Set.of("nodeId", "host", "roots", "bridge", "sockjs", "http",
    "data", "pools", "eventBus", "limits", "process", "state", "egress", "auth");

  private final String nodeId;
  private final boolean nodeIdGiven;
  private final Path stateDir;
  private final String host;
  private final Map<String, Path> roots;
  private final ListenConfig bridge;
  private final String sockjsPath;
  private final ListenConfig http;
  private final ListenConfig data;
  private final JsonArray pools;
  private final JsonObject eventBusTls;
  private final Limits limits;
  private final io.xfernode.process.CommandRules processAllow;
  private final io.xfernode.node.auth.Tokens tokens;
  private final boolean allowAnonymous;
  private final boolean openHealth;
  private final List<String> allowedOrigins;
  private final List<String> processEnv;
  private final io.xfernode.net.Egress egress;
  private final JsonObject json;

  private NodeConfig(Builder b) {
    this.nodeId = b.nodeId;
    this.nodeIdGiven = b.nodeIdGiven;
    this.stateDir = b.stateDir;
    this.host = b.host;
    this.roots = Collections.unmodifiableMap(b.roots);
    this.bridge = b.bridge;
    this.sockjsPath = b.sockjsPath;
    this.http = b.http;
    this.data = b.data;
    this.pools = b.pools;
    this.eventBusTls = b.eventBusTls;
    this.limits = b.limits;
    this.processAllow = b.processAllow;
    this.tokens = b.tokens;
    this.allowAnonymous = b.allowAnonymous;
    this.openHealth = b.openHealth;
    this.allowedOrigins = List.copyOf(b.allowedOrigins);
    this.processEnv = List.copyOf(b.processEnv);
    this.egress = b.egress;
    this.json = b.json;
  }

  /**
   * @param merged   every layer merged
   * @param explicit the layers above the shipped defaults merged; a port set there is "explicit"
   */
  public static NodeConfig fromJson(JsonObject merged, JsonObject explicit) {
    ConfigReader r = new ConfigReader(merged);
    ConfigReader.refuseUnknown("", merged, TOP_KEYS);
    ConfigReader x = new ConfigReader(explicit);
    Builder b = new Builder();
    b.json = merged.copy();

    String id = r.value("nodeId") == null ? "" : r.string("nodeId", null, null);
    b.nodeId = id.isEmpty() ? defaultNodeId() : r.string("nodeId", NODE_ID,
      "must be 1 to 64 letters, digits, '.', '_' or '-'");
    b.nodeIdGiven = !id.isEmpty();
    ConfigReader.refuseUnknown("state", r.object("state"), Set.of("dir"));
    try {
      b.stateDir = Paths.get(r.string("state.dir", Pattern.compile(".+"), "must be a directory path"))
        .toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ConfigException("state.dir", "not a valid path: " + e.getReason());
    }
    b.host = r.string("host", HOST, "must be a host name or IP address");

    JsonObject roots = r.object("roots");
    for (String name : roots.fieldNames()) {
      String key = "roots." + name;
      if (!ROOT_NAME.matcher(name).matches()) {
        throw new ConfigException(key, "a root name must be 1 to 64 letters, digits, '_' or '-'");
      }
      String dir = r.string(key, Pattern.compile(".+"), "must be a directory path");
      try {
        b.roots.put(name, Paths.get(dir).toAbsolutePath().normalize());
      } catch (InvalidPathException e) {
        throw new ConfigException(key, "not a valid path: " + e.getReason());
      }
    }

    b.bridge = listen(r, x, "bridge", true);
    ConfigReader.refuseUnknown("sockjs", r.object("sockjs"), Set.of("path"));
    b.sockjsPath = r.string("sockjs.path", URL_PATH, "must be a URL path starting with '/'");
    b.http = listen(r, x, "http", true, "allowedOrigins");
    JsonArray origins = r.array("http.allowedOrigins");
    for (int i = 0; i < origins.size(); i++) {
      Object o = origins.getValue(i);
      if (!(o instanceof String) || !("*".equals(o) || ORIGIN.matcher((String) o).matches())) {
        throw new ConfigException("http.allowedOrigins[" + i + "]", "must be an origin such as "
          + "https://dash.example.com:8443, or \"*\", got " + ConfigReader.describe(o));
      }
      b.allowedOrigins.add((String) o);
    }
    ConfigReader.refuseUnknown("data", r.object("data"), Set.of("port", "tls"));
    b.data = new ListenConfig(b.host, r.port("data.port"), x.value("data.port") != null, tls(r, "data.tls"));

    b.pools = r.array("pools");
    List<String> poolNames = new ArrayList<>();
    for (int i = 0; i < b.pools.size(); i++) {
      String key = "pools[" + i + "]";
      Object p = b.pools.getValue(i);
      if (!(p instanceof JsonObject)) {
        throw new ConfigException(key, "must be an object such as {name: default, maxPerPeer: 4}");
      }
      PoolDef def;
      try {
        def = PoolDef.fromJson(key, (JsonObject) p);
      } catch (XferException e) {
        int colon = e.getMessage().indexOf(": ");
        throw colon < 0 ? new ConfigException(key, e.getMessage())
          : new ConfigException(e.getMessage().substring(0, colon), e.getMessage().substring(colon + 2));
      }
      if (poolNames.contains(def.name())) {
        throw new ConfigException(key + ".name", "pool \"" + def.name() + "\" is defined twice");
      }
      poolNames.add(def.name());
    }
    if (!poolNames.contains(PoolDef.DEFAULT_NAME)) {
      // the pool every cross-node hop uses unless a transfer names another: it always exists
      b.pools = b.pools.copy().add(new JsonObject().put("name", PoolDef.DEFAULT_NAME));
    }

    JsonObject eventBus = r.object("eventBus");
    ConfigReader.refuseUnknown("eventBus", eventBus, Set.of("tls"));
    b.eventBusTls = r.objectOrNull("eventBus.tls");
    tls(r, "eventBus.tls");

    ConfigReader.refuseUnknown("limits", r.object("limits"), Set.of("maxTransfers", "maxBufferedBytes",
      "maxRequestBytes"));
    b.limits = new Limits(
      (int) r.integer("limits.maxTransfers", 1, 100_000),
      maxBufferedBytes(r),
      (int) r.integer("limits.maxRequestBytes", 1024, 64L * 1024 * 1024));

    ConfigReader.refuseUnknown("egress", r.object("egress"), Set.of("allow", "deny"));
    try {
      b.egress = io.xfernode.net.Egress.of(r.array("egress.allow"), r.array("egress.deny"));
    } catch (IllegalArgumentException e) {
      int colon = e.getMessage().indexOf(": ");
      throw new ConfigException(e.getMessage().substring(0, colon), e.getMessage().substring(colon + 2));
    }

    ConfigReader.refuseUnknown("process", r.object("process"), Set.of("allow", "env"));
    JsonArray envNames = r.array("process.env");
    for (int i = 0; i < envNames.size(); i++) {
      Object name = envNames.getValue(i);
      if (!(name instanceof String) || !ENV_NAME.matcher((String) name).matches()) {
        throw new ConfigException("process.env[" + i + "]", "must be an environment variable's name, got "
          + ConfigReader.describe(name));
      }
      b.processEnv.add((String) name);
    }
    try {
      b.processAllow = io.xfernode.process.CommandRules.parse(r.array("process.allow"), "process.allow");
    } catch (IllegalArgumentException e) {
      int colon = e.getMessage().indexOf(": ");
      throw new ConfigException(e.getMessage().substring(0, colon), e.getMessage().substring(colon + 2));
    }
    b.tokens = AuthConfig.tokens(r);
    b.allowAnonymous = AuthConfig.flag(r, "auth.allowAnonymous");
    b.openHealth = AuthConfig.flag(r, "auth.openHealth");
    if (!b.tokens.required() && !b.allowAnonymous) {
      for (ListenConfig control : List.of(b.bridge, b.http)) {
        if (!Loopback.is(control.host())) {
          String key = control == b.bridge ? "bridge.host" : "http.host";
          throw new ConfigException(key, control.host() + " is not a loopback address, and no auth.tokens are "
            + "configured: anyone who reaches it could move any byte in the roots; configure auth.tokens, or "
            + "set auth.allowAnonymous: true");
        }
      }
    }
    return new NodeConfig(b);
  }

  /** 0 means a quarter of the heap the JVM may use, at least 64 MiB. */
  private static long maxBufferedBytes(ConfigReader r) {
    long n = r.integer("limits.maxBufferedBytes", 0, 1L << 40);
    if (n == 0) {
      return io.xfernode.transfer.MemoryBudget.auto(Runtime.getRuntime().maxMemory());
    }
    if (n < io.xfernode.transfer.MemoryBudget.MIN * 4) {
      throw new ConfigException("limits.maxBufferedBytes", "must be 0 (a quarter of the heap) or at least "
        + io.xfernode.transfer.MemoryBudget.MIN * 4 + ", got " + n);
    }
    return n;
  }

  private static ListenConfig listen(ConfigReader r, ConfigReader x, String section, boolean withTls,
                                     String... more) {
    Set<String> keys = new java.util.HashSet<>(Set.of("host", "port"));
    if (withTls) {
      keys.add("tls");
    }
    keys.addAll(List.of(more));
    ConfigReader.refuseUnknown(section, r.object(section), keys);
    String host = r.string(section + ".host", HOST, "must be a host name or IP address");
    int port = r.port(section + ".port");
    boolean explicit = x.value(section + ".port") != null;
    return new ListenConfig(host, port, explicit, withTls ? tls(r, section + ".tls") : null);
  }

  private static JsonObject tls(ConfigReader r, String key) {
    JsonObject json = r.objectOrNull(key);
    try {
      TlsConfig.fromJson(key, json);
    } catch (XferException e) {
      String msg = e.getMessage();
      int colon = msg.indexOf(": ");
      throw new ConfigException(msg.substring(0, colon), msg.substring(colon + 2));
    }
    return json;
  }

  /**
   * The id of a node whose config names none: this host's name, in the characters an id allows, short
   * enough for the suffix ({@code -2}, {@code -3}, ...) a second node on the host gets.
   */
  public static String defaultNodeId() {
    String id = hostName().replaceAll("[^A-Za-z0-9._-]", "-");
    if (id.length() > MAX_BASE_ID) {
      id = id.substring(0, MAX_BASE_ID);
    }
    return id.isEmpty() ? "node" : id;
  }

  /** This host's name: {@code $HOSTNAME}, else what the resolver says, else {@code localhost}. Blocks. */
  static String hostName() {
    String host = System.getenv("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
    }
    return host;
  }

  public String nodeId() {
    return nodeId;
  }

  /** Whether the configuration names the node; otherwise the id is kept in {@link #stateDir()}. */
  public boolean nodeIdGiven() {
    return nodeIdGiven;
  }

  /** Where the node keeps its id and restart markers between restarts (absolute). */
  public Path stateDir() {
    return stateDir;
  }

  /** This configuration with the id the node took as it joined (NodeIdentity), when none was configured. */
  public NodeConfig withNodeId(String id) {
    Builder b = toBuilder();
    b.nodeId = id;
    return new NodeConfig(b);
  }

  public String host() {
    return host;
  }

  /** @return root name to absolute, normalised directory */
  public Map<String, Path> roots() {
    return roots;
  }

  public ListenConfig bridge() {
    return bridge;
  }

  public String sockjsPath() {
    return sockjsPath;
  }

  public ListenConfig http() {
    return http;
  }

  public ListenConfig data() {
    return data;
  }

  public JsonArray pools() {
    return pools.copy();
  }

  public JsonObject eventBusTls() {
    return eventBusTls == null ? null : eventBusTls.copy();
  }

  public Limits limits() {
    return limits;
  }

  /** Where elements that connect out may go; the node adds its own ports once they are bound. */
  public io.xfernode.net.Egress egress() {
    return egress;
  }

  /** Environment variables a process element's command gets from the node's, besides PATH and LANG. */
  public List<String> processEnv() {
    return processEnv;
  }

  /** The tokens requests must carry; none configured means the control ports are open (loopback only). */
  public io.xfernode.node.auth.Tokens tokens() {
    return tokens;
  }

  /** Whether control ports may listen beyond loopback without tokens ({@code auth.allowAnonymous}). */
  public boolean allowAnonymous() {
    return allowAnonymous;
  }

  /** Whether {@code GET /health} answers without a token where tokens are configured. */
  public boolean openHealth() {
    return openHealth;
  }

  /** Origins besides the node's own that may call the HTTP API and SockJS from a browser. */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  public io.xfernode.process.CommandRules processAllow() {
    return processAllow;
  }

  /** @return the merged configuration this was built from */
  public JsonObject toJson() {
    return json.copy();
  }

  private Builder toBuilder() {
    Builder b = new Builder();
    b.nodeId = nodeId;
    b.nodeIdGiven = nodeIdGiven;
    b.stateDir = stateDir;
    b.host = host;
    b.roots.putAll(roots);
    b.bridge = bridge;
    b.sockjsPath = sockjsPath;
    b.http = http;
    b.data = data;
    b.pools = pools;
    b.eventBusTls = eventBusTls;
    b.limits = limits;
    b.processAllow = processAllow;
    b.tokens = tokens;
    b.allowAnonymous = allowAnonymous;
    b.openHealth = openHealth;
    b.allowedOrigins.addAll(allowedOrigins);
    b.processEnv.addAll(processEnv);
    b.egress = egress;
    b.json = json.copy().put("nodeId", nodeId);
    return b;
  }

  private static final class Builder {
    String nodeId;
    boolean nodeIdGiven;
    Path stateDir;
    String host;
    final Map<String, Path> roots = new LinkedHashMap<>();
    ListenConfig bridge;
    String sockjsPath;
    ListenConfig http;
    ListenConfig data;
    JsonArray pools;
    JsonObject eventBusTls;
    Limits limits;
    io.xfernode.process.CommandRules processAllow;
    io.xfernode.node.auth.Tokens tokens;
    boolean allowAnonymous;
    boolean openHealth;
    final List<String> allowedOrigins = new ArrayList<>();
    final List<String> processEnv = new ArrayList<>();
    io.xfernode.net.Egress egress;
    JsonObject json;
  }
}
