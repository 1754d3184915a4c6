package io.xfernode.node.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking client of a node's TCP event-bus bridge (the stock Vert.x framing: a 4-byte big-endian
 * length, then UTF-8 JSON). The command line is not on an event loop, so plain sockets do: one reader
 * thread hands replies to the requests waiting for them and published messages to {@link #events()}.
 * Requests may come from several threads (Ctrl-C cancels from the signal's).
 */
final class BridgeConnection implements AutoCloseable {

  /** The largest frame this client accepts from a node. */
  static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;
  /** Published messages waiting to be read; beyond this the oldest progress is of no use anyway. */
  private static final int MAX_QUEUED_EVENTS = 4096;

  private final String target;
  private final Socket socket;
  private final DataInputStream in;
  private final DataOutputStream out;
  private final String token;
  private final long timeoutMs;
  private final Object lock = new Object();
  /** Requests waiting for their reply, oldest first: an err frame that names no address is the oldest's. */
  private final Map<String, CompletableFuture<JsonObject>> pending = new HashMap<>();
  private final Deque<String> order = new ArrayDeque<>();
  private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>(MAX_QUEUED_EVENTS);
  private volatile boolean closed;

  private BridgeConnection(String target, Socket socket, String token, long timeoutMs) throws IOException {
    this.target = target;
    this.socket = socket;
    this.token = token;
    this.timeoutMs = timeoutMs;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
    Thread reader = new Thread(this::readLoop, "xfernode-bridge-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Connects to the bridge at {@code host:port}.
   *
   * @param token     sent as {@code "authorization": "Bearer <token>"} on every frame; null for none
   * @param timeoutMs how long connecting, and then waiting for any one reply, may take
   */
  static BridgeConnection open(String host, int port, String token, long timeoutMs) throws UnreachableException {
    String target = host + ":" + port;
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE, timeoutMs));
      socket.setTcpNoDelay(true);
      return new BridgeConnection(target, socket, token, timeoutMs);
    } catch (IOException | IllegalArgumentException e) {
      closeQuietly(socket);
      throw new UnreachableException("cannot reach a node at " + target + ": " + reason(e));
    }
  }

  /** Where this connection goes, {@code host:port}. */
  String target() {
    return target;
  }

  /** Sends {@code body} to {@code address} and returns the reply's body. */
  JsonObject request(String address, JsonObject body) throws BridgeException, UnreachableException,
    InterruptedException {
    return request(address, body, timeoutMs);
  }

  /** As {@link #request(String, JsonObject)}, waiting at most {@code waitMs} for the reply. */
  JsonObject request(String address, JsonObject body, long waitMs) throws BridgeException, UnreachableException,
    InterruptedException {
    return await(requestAsync(address, body), address, waitMs);
  }

  /** As {@link #request(String, JsonObject)}, waiting for the reply the connection's timeout at most. */
  JsonObject await(CompletableFuture<JsonObject> reply, String address) throws BridgeException,
    UnreachableException, InterruptedException {
    return await(reply, address, timeoutMs);
  }

  /**
   * Sends {@code body} to {@code address} without waiting: the future completes with the frame that
   * answers (a message or an err), or fails with an {@code IOException} when the connection breaks.
   */
  CompletableFuture<JsonObject> requestAsync(String address, JsonObject body) throws UnreachableException {
    String replyAddress = "xfernode-cli." + UUID.randomUUID();
    CompletableFuture<JsonObject> reply = new CompletableFuture<>();
    synchronized (lock) {
      pending.put(replyAddress, reply);
      order.addLast(replyAddress);
    }
    reply.whenComplete((frame, failure) -> {
      synchronized (lock) {
        pending.remove(replyAddress);
        order.remove(replyAddress);
      }
    });
    try {
      write(new JsonObject().put("type", "send").put("address", address).put("replyAddress", replyAddress)
        .put("body", body));
    } catch (UnreachableException e) {
      reply.cancel(false);
      throw e;
    }
    return reply;
  }

  private JsonObject await(CompletableFuture<JsonObject> reply, String address, long waitMs)
    throws BridgeException, UnreachableException, InterruptedException {
    JsonObject frame;
    try {
      frame = reply.get(waitMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new UnreachableException(e.getCause().getMessage());
    } catch (TimeoutException e) {
      reply.cancel(false);
      throw new UnreachableException(address + ": no answer from " + target + " within " + waitMs + " ms");
    }
    if ("err".equals(frame.getString("type"))) {
      throw failure(frame);
    }
    if (!(frame.getValue("body") instanceof JsonObject answer)) {
      throw new BridgeException(500, address + ": the node answered without a JSON object");
    }
    return answer;
  }

  /** Subscribes to a published address: its messages arrive in {@link #events()}. */
  void register(String address) throws UnreachableException {
    write(new JsonObject().put("type", "register").put("address", address));
  }

  /**
   * What the node published to registered addresses, as frames ({@code type} message, with
   * {@code address} and {@code body}); also an err frame that answered no request (a refused register).
   */
  BlockingQueue<JsonObject> events() {
    return events;
  }

  private void write(JsonObject frame) throws UnreachableException {
    if (token != null) {
      frame.put("headers", new JsonObject().put("authorization", "Bearer " + token));
    }
    byte[] bytes = frame.encode().getBytes(StandardCharsets.UTF_8);
    try {
      synchronized (out) {
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      throw new UnreachableException("lost the connection to " + target + ": " + reason(e));
    }
  }

  private void readLoop() {
    String why = "the node closed the connection";
    try {
      while (true) {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME_BYTES) {
          why = "the node sent a frame of " + Integer.toUnsignedString(length) + " bytes, over the limit of "
            + MAX_FRAME_BYTES;
          break;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        dispatch(new JsonObject(new String(bytes, StandardCharsets.UTF_8)));
      }
    } catch (EOFException e) {
      // the node closed the connection
    } catch (IOException | DecodeException e) {
      why = reason(e);
    }
    failAll(closed ? "closed" : "lost the connection to " + target + ": " + why);
  }

  private void dispatch(JsonObject frame) {
    String type = frame.getString("type");
    if ("pong".equals(type)) {
      return;
    }
    String address = frame.getString("address");
    CompletableFuture<JsonObject> reply;
    synchronized (lock) {
      reply = address == null ? null : pending.get(address);
      if (reply == null && "err".equals(type) && !order.isEmpty() && (address == null
        || !address.startsWith("xfer.events"))) {
        // the bridge answers in order, so an error naming no reply address is the oldest request's
        reply = pending.get(order.peekFirst());
      }
    }
    if (reply != null) {
      reply.complete(frame);
    } else if (!events.offer(frame)) {
      events.poll();
      events.offer(frame);
    }
  }

  private void failAll(String why) {
    synchronized (lock) {
      pending.values().forEach(f -> f.completeExceptionally(new IOException(why)));
    }
    events.offer(new JsonObject().put("type", "closed").put("message", why));
  }

  static BridgeException failure(JsonObject frame) {
    Object code = frame.getValue("failureCode");
    String message = frame.getString("message", "failed");
    return new BridgeException(code instanceof Number n ? n.intValue() : 0, message);
  }

  private static String reason(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(socket);
  }
}
