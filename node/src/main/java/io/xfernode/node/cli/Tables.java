package io.xfernode.node.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code status}, {@code ls}, {@code nodes} and {@code pools} print for people (scripts use {@code --json}). */
final class Tables {

  private Tables() {
  }

  /** One transfer's status, a field a line. */
  static List<String> status(JsonObject s) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("id", str(s.getValue("id"))));
    rows.add(List.of("state", str(s.getValue("state"))));
    if (s.getValue("node") != null) {
      rows.add(List.of("node", str(s.getValue("node"))));
    }
    rows.add(List.of("bytes", bytes(s)));
    if (s.getValue("bytesOut") != null && !s.getValue("bytesOut").equals(s.getValue("bytes"))) {
      rows.add(List.of("bytes out", Units.bytes(s.getLong("bytesOut"))));
    }
    rows.add(List.of("rate", Units.rate(s.getLong("rateBps", 0L))));
    for (String when : List.of("startedAt", "runningAt", "endedAt")) {
      if (s.getValue(when) != null) {
        rows.add(List.of(when.replace("At", ""), str(s.getValue(when))));
      }
    }
    JsonObject checksum = s.getValue("checksum") instanceof JsonObject c ? c : null;
    if (checksum != null) {
      rows.add(List.of("checksum", checksum.getString("algorithm", "") + " " + checksum.getString("value", "")
        + (checksum.getValue("verified") != null ? " (verified: " + checksum.getValue("verified") + ")" : "")));
    }
    if (s.getValue("error") instanceof JsonObject error) {
      rows.add(List.of("error", ProgressRenderer.errorText(error)));
    }
    return align(rows, false);
  }

  /** The cluster's transfers, one a line, newest first as the node lists them. */
  static List<String> transfers(JsonArray transfers) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ID", "STATE", "BYTES", "RATE", "STARTED", "ERROR"));
    for (Object o : transfers) {
      if (o instanceof JsonObject s) {
        rows.add(List.of(str(s.getValue("id")), str(s.getValue("state")), bytes(s),
          Units.rate(s.getLong("rateBps", 0L)), str(s.getValue("startedAt")),
          s.getValue("error") instanceof JsonObject e ? ProgressRenderer.errorText(e) : ""));
      }
    }
    return align(rows, true);
  }

  /** The cluster's nodes. */
  static List<String> nodes(JsonArray nodes) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ID", "HOST", "BRIDGE", "HTTP", "DATA", "TRANSFERS", "ROOTS"));
    for (Object o : nodes) {
      if (o instanceof JsonObject n) {
        JsonObject roots = n.getValue("roots") instanceof JsonObject r ? r : new JsonObject();
        rows.add(List.of(str(n.getValue("id")), str(n.getValue("host")), endpoint(n.getValue("bridge")),
          endpoint(n.getValue("http")), endpoint(n.getValue("data")), count(n.getValue("transfers")),
          roots.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","))));
      }
    }
    return align(rows, true);
  }

  /** The cluster's pools, with their connections summed over every node and peer. */
  static List<String> pools(JsonArray pools) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAME", "MIN/PEER", "MAX/PEER", "IDLE", "WINDOW", "TLS", "CONNECTIONS"));
    for (Object o : pools) {
      if (o instanceof JsonObject p) {
        Object window = p.getValue("window");
        rows.add(List.of(str(p.getValue("name")), str(p.getValue("minPerPeer")), str(p.getValue("maxPerPeer")),
          str(p.getValue("idleTimeout")), window instanceof Number w ? Units.bytes(w.longValue()) : str(window),
          str(p.getValue("tls")), String.valueOf(connections(p.getValue("connections")))));
      }
    }
    return align(rows, true);
  }

  private static long connections(Object byNode) {
    long sum = 0;
    if (byNode instanceof JsonObject nodes) {
      for (Map.Entry<String, Object> node : nodes) {
        if (node.getValue() instanceof JsonObject peers) {
          for (Map.Entry<String, Object> peer : peers) {
            if (peer.getValue() instanceof JsonObject c) {
              sum += c.getLong("connections", 0L);
            }
          }
        }
      }
    }
    return sum;
  }

  private static String bytes(JsonObject s) {
    long bytes = s.getLong("bytes", 0L);
    long total = s.getLong("total", -1L);
    return total >= 0 ? Units.bytes(bytes) + " / " + Units.bytes(total) + (total > 0 ? " (" + Units.percent(bytes, total)
      + ")" : "") : Units.bytes(bytes);
  }

  private static String endpoint(Object value) {
    return value instanceof JsonObject e ? e.getValue("host") + ":" + e.getValue("port") : str(value);
  }

  private static String count(Object value) {
    return value instanceof JsonArray a ? String.valueOf(a.size()) : str(value);
  }

  private static String str(Object value) {
    return value == null ? "-" : String.valueOf(value);
  }

  /** Pads every column but the last to its widest cell. */
  static List<String> align(List<List<String>> rows, boolean header) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    List<String> out = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i < row.size() - 1 ? pad(row.get(i), width[i] + 2) : row.get(i));
      }
      out.add(line.toString().stripTrailing());
    }
    return header && rows.size() == 1 ? List.of("(none)") : out;
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }
}
