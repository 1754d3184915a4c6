package io.xfernode.node.http;

import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of the SockJS bridge over its raw WebSocket transport ({@code <path>/websocket}), which carries
 * the same JSON frames as the stock JavaScript client sends, one per WebSocket message.
 */
final class SockJsClient implements AutoCloseable {

  private final WebSocket ws;
  private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  /** The node's close: its status code and reason. */
  private final java.util.concurrent.CompletableFuture<String> closed = new java.util.concurrent.CompletableFuture<>();

  SockJsClient(HttpClient http, int port) throws Exception {
    ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/eventbus/websocket"),
      new WebSocket.Listener() {
        final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onBinary(WebSocket w, java.nio.ByteBuffer data, boolean last) {
          return onText(w, StandardCharsets.UTF_8.decode(data), last);
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
          closed.complete(code + " " + reason);
          return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
          closed.completeExceptionally(error);
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
          text.append(data);
          if (last) {
            frames.add(text.toString());
            text.setLength(0);
          }
          w.request(1);
          return null;
        }
      }).get(10, TimeUnit.SECONDS);
  }

  void sendText(String text) throws Exception {
    ws.sendText(text, true).get(10, TimeUnit.SECONDS);
  }

  void send(JsonObject frame) throws Exception {
    sendText(frame.encode());
  }

  /** How the node closed the socket ({@code "1009 reason"}); fails after 10 s. */
  String awaitClose() throws Exception {
    return closed.get(10, TimeUnit.SECONDS);
  }

  /** Drops the connection without a close handshake. */
  void abort() {
    ws.abort();
  }

  /** The next frame the node sends; fails after 10 s. */
  JsonObject next() throws Exception {
    String frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null) {
      throw new AssertionError("no frame from the SockJS bridge within 10 s");
    }
    return new JsonObject(frame);
  }

  /** Sends a request and returns the frame that answers it. */
  JsonObject request(String address, JsonObject body, String token) throws Exception {
    String reply = "r-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("replyAddress", reply)
      .put("body", body);
    if (token != null) {
      frame.put("headers", new JsonObject().put("authorization", "Bearer " + token));
    }
    send(frame);
    while (true) {
      JsonObject f = next();
      if (reply.equals(f.getString("address")) || "err".equals(f.getString("type"))) {
        return f;
      }
    }
  }

  @Override
  public void close() {
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
  }
}
