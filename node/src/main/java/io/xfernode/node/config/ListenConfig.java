package io.xfernode.node.config;

import io.vertx.core.json.JsonObject;

/**
 * Where a listener binds.
 *
 * @param host     the interface to bind
 * @param port     the port; 0 for any free port
 * @param explicit whether the port was set by the user (file, environment or flag): a taken port
 *                 then stops the node instead of moving on to the next free one
 * @param tls      TLS settings, or {@code null} for cleartext
 */
public record ListenConfig(String host, int port, boolean explicit, JsonObject tls) {
}
