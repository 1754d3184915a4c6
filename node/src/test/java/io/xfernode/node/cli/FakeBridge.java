package io.xfernode.node.cli;

import io.vertx.core.json.JsonObject;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A stand-in for a node's TCP bridge, for one client connection: it records every frame the client sends and
 * answers each with the frames {@code answer} gives. Blocking sockets on a thread of its own, no event loop.
 */
final class FakeBridge implements AutoCloseable {

  private final ServerSocket server;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final Function<JsonObject, List<JsonObject>> answer;
  private final Thread thread;

  FakeBridge(Function<JsonObject, List<JsonObject>> answer) throws IOException {
    this.answer = answer;
    this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "fake-bridge");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every frame the client sent so far. */
  List<JsonObject> received() {
    return received;
  }

  private void serve() {
    try (Socket socket = server.accept()) {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      while (true) {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        JsonObject frame = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
        received.add(frame);
        for (JsonObject reply : answer.apply(frame)) {
          byte[] encoded = reply.encode().getBytes(StandardCharsets.UTF_8);
          out.writeInt(encoded.length);
          out.write(encoded);
        }
        out.flush();
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  /** A reply to a {@code send} frame. */
  static JsonObject reply(JsonObject send, JsonObject body) {
    return new JsonObject().put("type", "message").put("address", send.getString("replyAddress")).put("body", body);
  }

  /** A failure answering a {@code send} frame. */
  static JsonObject fail(JsonObject send, int code, String message) {
    return new JsonObject().put("type", "err").put("address", send.getString("replyAddress"))
      .put("failureCode", code).put("message", message);
  }

  /** An event published to {@code xfer.events.<id>}. */
  static JsonObject event(String id, JsonObject event) {
    return new JsonObject().put("type", "message").put("address", "xfer.events." + id).put("body", event.put("id", id));
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
