package io.xfernode.node;

import io.vertx.core.json.JsonObject;

import javax.net.SocketFactory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A raw client of the TCP event-bus bridge, as a service outside the JVM would write it: a blocking socket,
 * frames of a 4-byte big-endian length and then JSON. It shares no code with the node.
 */
public final class BridgeClient implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;

  public BridgeClient(int port) throws IOException {
    this(SocketFactory.getDefault(), port);
  }

  /** A client whose socket comes from {@code factory}, e.g. an {@code SSLSocketFactory}. */
  public BridgeClient(SocketFactory factory, int port) throws IOException {
    socket = factory.createSocket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(20_000);
    in = new DataInputStream(socket.getInputStream());
    out = new DataOutputStream(socket.getOutputStream());
  }

  /** Sends a request to {@code address} and returns the frame that answers it (a message or an err). */
  public JsonObject request(String address, JsonObject body) throws IOException {
    return request(address, body, null);
  }

  /** As {@link #request(String, JsonObject)}, with the frame's {@code headers}. */
  public JsonObject request(String address, JsonObject body, JsonObject headers) throws IOException {
    String replyAddress = "reply-" + UUID.randomUUID();
    JsonObject request = new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
      .put("body", body);
    if (headers != null) {
      request.put("headers", headers);
    }
    send(request);
    while (true) {
      JsonObject frame = read();
      if ("err".equals(frame.getString("type")) || replyAddress.equals(frame.getString("address"))) {
        return frame;
      }
    }
  }

  public void register(String address) throws IOException {
    send(new JsonObject().put("type", "register").put("address", address));
  }

  public void send(JsonObject frame) throws IOException {
    writeRaw(frame.encode().getBytes(StandardCharsets.UTF_8));
  }

  public void writeRaw(byte[] json) throws IOException {
    out.writeInt(json.length);
    out.write(json);
    out.flush();
  }

  public DataOutputStream output() {
    return out;
  }

  public JsonObject read() throws IOException {
    int length = in.readInt();
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
  }

  /** @return -1 once the node closed the connection */
  public int readByte() throws IOException {
    return in.read();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
