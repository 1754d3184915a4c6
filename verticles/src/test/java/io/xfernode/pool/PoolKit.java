package io.xfernode.pool;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.streams.WriteStream;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.transport.TlsConfig;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Nodes' pools in one JVM, each on a data port of its own over loopback, with keys they know of each other:
 * what the pool tests drive, without the engine around them.
 */
final class PoolKit implements AutoCloseable {

  final Vertx vertx;
  final Map<String, SocketAddress> addresses = new ConcurrentHashMap<>();
  final Map<String, byte[]> keys = new HashMap<>();
  final Map<String, Pools> nodes = new HashMap<>();
  final SocketRegistry registry;

  PoolKit(Vertx vertx, TlsConfig tls, String... names) throws Exception {
    this.vertx = vertx;
    this.registry = new SocketRegistry(vertx, "kit");
    for (String n : names) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      keys.put(n, key);
    }
    for (String n : names) {
      Pools p = new Pools(vertx, n, peer -> {
        SocketAddress address = addresses.get(peer);
        return address == null ? Future.failedFuture("unknown node " + peer) : Future.succeededFuture(address);
      }, tls, NodeKeys.fixed(n, keys), 4);
      addresses.put(n, SocketAddress.inetSocketAddress(await(p.listen("127.0.0.1", 0, registry)), "127.0.0.1"));
      nodes.put(n, p);
    }
  }

  Pools node(String name) {
    return nodes.get(name);
  }

  @Override
  public void close() throws Exception {
    for (Pools p : nodes.values()) {
      await(p.close());
    }
  }

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  static byte[] token() {
    byte[] t = new byte[16];
    new SecureRandom().nextBytes(t);
    return t;
  }

  static byte[] data(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static PoolLink link(String pool, int streams, byte[] token, String from, String to, String checksum,
                       boolean resume) {
    return new PoolLink(pool, streams, token, from, to, checksum, resume, 0);
  }

  // ---- files

  /** Sends {@code file} whole as regions; completes once the receiver acknowledged. */
  Future<Void> sendFile(PoolLink link, String transfer, Path file, Future<String> checksum) throws Exception {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    Sender s = Sender.file(node(link.upNode()), link, transfer, ch, 0, ch.size(), checksum, "test");
    return s.open().compose(v -> s.done()).eventually(() -> {
      try {
        ch.close();
      } catch (java.io.IOException ignored) {
        // test cleanup
      }
      return Future.succeededFuture();
    });
  }

  /** A receiver writing into {@code out} by offset, on a worker thread. */
  record FileReceiver(Receiver receiver, FileOutput output, Future<Long> written, FileChannel channel) {
    Future<Void> done() {
      return receiver.completion().compose(v -> written).mapEmpty();
    }
  }

  FileReceiver receiveFile(PoolLink link, String transfer, Path out) throws Exception {
    FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
    FileOutput output = new FileOutput(ch, 0, null, n -> { });
    Receiver r = node(link.downNode()).expect(link, transfer, link.resume(), output);
    Future<Long> written = vertx.executeBlocking(output::run, false);
    written.onFailure(r::fail);
    return new FileReceiver(r, output, written, ch);
  }

  // ---- bytes in order

  /** Writes {@code data} into a PUSH sender in pieces, with backpressure; completes once acknowledged. */
  Future<Void> sendBytes(PoolLink link, String transfer, byte[] data) {
    Context ctx = ((VertxInternal) vertx).createEventLoopContext();
    Promise<Void> result = Promise.promise();
    ctx.runOnContext(v -> {
      Sender.Push push = Sender.push(node(link.upNode()), link, transfer, ctx, 1 << 20);
      push.sender().open().onComplete(opened -> ctx.runOnContext(x -> {
        if (opened.failed()) {
          result.fail(opened.cause());
          return;
        }
        pump(push.input(), data, 0, () -> push.input().end());
        push.sender().done().onComplete(result);
      }));
    });
    return result.future();
  }

  private static void pump(WriteStream<Buffer> out, byte[] data, int at, Runnable end) {
    int pos = at;
    while (pos < data.length && !out.writeQueueFull()) {
      int n = Math.min(data.length - pos, 100_003);
      out.write(Buffer.buffer(java.util.Arrays.copyOfRange(data, pos, pos + n)));
      pos += n;
    }
    if (pos >= data.length) {
      end.run();
      return;
    }
    int next = pos;
    out.drainHandler(v -> pump(out, data, next, end));
  }

  /** A stream that keeps what it is given, and can refuse more (writeQueueFull) until let go. */
  static final class Collector implements WriteStream<Buffer> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean held;
    private Handler<Void> drain;

    @Override
    public synchronized Future<Void> write(Buffer data) {
      bytes.writeBytes(data.getBytes());
      return Future.succeededFuture();
    }

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    synchronized int size() {
      return bytes.size();
    }

    void hold() {
      held = true;
    }

    void release(Context ctx) {
      held = false;
      Handler<Void> d = drain;
      drain = null;
      if (d != null) {
        ctx.runOnContext(v -> d.handle(null));
      }
    }

    @Override
    public Future<Void> end() {
      return Future.succeededFuture();
    }

    @Override
    public boolean writeQueueFull() {
      return held;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      drain = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }
  }

  record OrderedReceiver(Receiver receiver, OrderedOutput output, Collector collector, Context context) {
  }

  OrderedReceiver receiveBytes(PoolLink link, String transfer) {
    Context ctx = ((VertxInternal) vertx).createEventLoopContext();
    Collector c = new Collector();
    OrderedOutput out = new OrderedOutput(ctx, c, link.checksum());
    return new OrderedReceiver(node(link.downNode()).expect(link, transfer, link.resume(), out), out, c, ctx);
  }

  /** Waits, without sleeping the test's own logic into the product, until {@code condition} holds. */
  void until(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Promise<Void> tick = Promise.promise();
      vertx.setTimer(20, t -> tick.complete());
      await(tick.future());
    }
  }

  static Function<String, String> none() {
    return s -> null;
  }
}
