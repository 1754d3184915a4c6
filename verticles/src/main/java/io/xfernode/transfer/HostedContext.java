package io.xfernode.transfer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.element.NodeEnv;
import io.xfernode.link.ChannelLink;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.Endpoint;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.link.Link;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;
import io.xfernode.link.PullLink;
import io.xfernode.link.PullSource;
import io.xfernode.link.Ring;
import io.xfernode.link.TcpLink;

import io.xfernode.transfer.msg.ControlMessage;
import io.xfernode.transfer.msg.Info;
import io.xfernode.transfer.msg.Progress;
import io.xfernode.transfer.msg.Ready;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The {@link ElementContext} of one element a {@link Slice} hosts: its links, its threads and its reports.
 * Every element of a slice shares the slice's context.
 */
public final class HostedContext implements ElementContext {

  private static final Logger log = LoggerFactory.getLogger(HostedContext.class);

  static final long PROGRESS_INTERVAL_MS = 250;
  /** How long release waits for an interrupted thread to end; a thread still running then is logged. */
  static final long THREAD_JOIN_MS = 5000;

  private final String transferId;
  private final int index;
  private final String name;
  private final NodeEnv env;
  private final Link in;
  private final Link out;
  private final Pools pools;
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean progressPending = new AtomicBoolean();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final List<Future<?>> threadResults = new ArrayList<>();
  private final StreamThreads.Reservation reservation;
  /** Shared by the elements of the slice: what the source said identifies its bytes. */
  private final java.util.concurrent.atomic.AtomicReference<String> identity;
  private volatile boolean cancelled;
  private volatile long lastProgressAt;
  private long total = -1;
  private Endpoint listenIn;
  private Endpoint listenOut;
  private final JsonObject published = new JsonObject();
  private final SocketRegistry sockets;
  private Vertx vertx;
  private Context context;
  private Consumer<ControlMessage> reporter;
  private ReadStream<Buffer> inputStream;
  private WriteStream<Buffer> outputStream;

  /**
   * @param in  the link to the upstream neighbour, {@code null} for a source
   * @param out the link to the downstream neighbour, {@code null} for a sink
   */
  public HostedContext(String transferId, int index, String name, NodeEnv env, SocketRegistry sockets, Pools pools,
                       Link in, Link out, StreamThreads.Reservation reservation,
                       java.util.concurrent.atomic.AtomicReference<String> identity) {
    this.reservation = reservation;
    this.identity = identity;
    this.sockets = sockets;
    this.pools = pools;
    this.transferId = transferId;
    this.index = index;
    this.name = name;
    this.env = env;
    this.in = in;
    this.out = out;
  }

  @Override
  public Pools pools() {
    return pools;
  }

  @Override
  public PoolLink poolLink() {
    return in instanceof PoolLink ? (PoolLink) in : out instanceof PoolLink ? (PoolLink) out : null;
  }

  void bind(Vertx vertx, Context context, Consumer<ControlMessage> reporter) {
    this.vertx = vertx;
    this.context = context;
    this.reporter = reporter;
  }

  int index() {
    return index;
  }

  void report(ControlMessage msg) {
    reporter.accept(msg);
  }

  long bytes() {
    return bytes.get();
  }

  Ready.Element ready() {
    return new Ready.Element(index, listenIn, listenOut, published.isEmpty() ? null : published.copy(), total);
  }

  void peers(Endpoint inPeer, Endpoint outPeer) {
    if (inPeer != null && in instanceof TcpLink) {
      ((TcpLink) in).listening(inPeer);
    }
    if (outPeer != null && out instanceof TcpLink) {
      ((TcpLink) out).listening(outPeer);
    }
  }

  /** Marks the element cancelled, fails both links (waking anything blocked on them), interrupts threads. */
  void cancel(Throwable reason) {
    cancelled = true;
    if (in != null) {
      in.fail(reason);
    }
    if (out != null) {
      out.fail(reason);
    }
    threads.forEach(Thread::interrupt);
  }

  /**
   * Completes once every thread this element started, and every blocking call it made, has ended (or after
   * {@value #THREAD_JOIN_MS} ms).
   */
  Future<Void> awaitThreads() {
    List<Future<?>> running;
    synchronized (threadResults) {
      running = new ArrayList<>(threadResults);
    }
    if (running.isEmpty()) {
      return Future.succeededFuture();
    }
    // how they ended does not matter here (the element reported that): only that they did
    return onContext(Future.join(running).otherwiseEmpty()).<Void>mapEmpty()
      .timeout(THREAD_JOIN_MS, TimeUnit.MILLISECONDS)
      .recover(t -> {
        log.warn("transfer {}: a thread of {} did not end within {} ms of being interrupted", transferId, name,
          THREAD_JOIN_MS);
        return Future.succeededFuture();
      });
  }

  void flushProgress() {
    reporter.accept(new Progress(transferId, index, bytes.get()));
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public Context context() {
    return context;
  }

  @Override
  public String transferId() {
    return transferId;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public NodeEnv env() {
    return env;
  }

  @Override
  public Mechanism inMechanism() {
    return in == null ? null : in.mechanism();
  }

  @Override
  public Mechanism outMechanism() {
    return out == null ? null : out.mechanism();
  }

  private <L> L link(Link link, Class<L> type, String side) {
    if (!type.isInstance(link)) {
      throw new IllegalStateException(name + ": the " + side + " link is " + (link == null ? "absent" : link.mechanism())
        + ", not " + type.getSimpleName());
    }
    return type.cast(link);
  }

  @Override
  public ReadStream<Buffer> inputStream() {
    if (inputStream == null) {
      inputStream = link(in, Ring.class, "input").reader(context);
    }
    return inputStream;
  }

  @Override
  public WriteStream<Buffer> outputStream() {
    if (outputStream == null) {
      outputStream = link(out, Ring.class, "output").writer(context);
    }
    return outputStream;
  }

  @Override
  public Buffer takeInput() throws InterruptedException {
    return link(in, Ring.class, "input").take();
  }

  @Override
  public void putOutput(Buffer buffer) throws InterruptedException {
    link(out, Ring.class, "output").put(buffer);
  }

  @Override
  public void endOutput() {
    link(out, Ring.class, "output").end();
  }

  @Override
  public PullSource inputPuller() {
    return link(in, PullLink.class, "input").source();
  }

  @Override
  public void offerPuller(PullSource source) {
    link(out, PullLink.class, "output").offer(source);
  }

  @Override
  public void offerReadable(ChannelOffer offer) {
    link(out, ChannelLink.class, "output").offerReadable(offer);
  }

  @Override
  public void offerWritable(ChannelOffer offer) {
    link(in, ChannelLink.class, "input").offerWritable(offer);
  }

  @Override
  public ChannelOffer inputChannel() {
    return link(in, ChannelLink.class, "input").readable();
  }

  @Override
  public ChannelOffer outputChannel() {
    return link(out, ChannelLink.class, "output").writable();
  }

  @Override
  public Future<Long> channelDone() {
    ChannelLink link = in instanceof ChannelLink ? (ChannelLink) in : link(out, ChannelLink.class, "output");
    return onContext(link.done());
  }

  @Override
  public void channelFinished(long bytes, Throwable failure) {
    for (Link link : new Link[]{in, out}) {
      if (link instanceof ChannelLink) {
        if (failure == null) {
          ((ChannelLink) link).finish(bytes);
        } else {
          link.fail(failure);
        }
      }
    }
  }

  @Override
  public void listenInput(Endpoint endpoint) {
    listenIn = endpoint;
    if (in instanceof TcpLink) {
      ((TcpLink) in).listening(endpoint);
    }
  }

  @Override
  public void listenOutput(Endpoint endpoint) {
    listenOut = endpoint;
    if (out instanceof TcpLink) {
      ((TcpLink) out).listening(endpoint);
    }
  }

  @Override
  public void publish(String what, JsonObject endpoint) {
    published.put(what, endpoint.copy());
  }

  @Override
  public Future<Endpoint> inputPeer() {
    return link(in, TcpLink.class, "input").address();
  }

  @Override
  public Future<Endpoint> outputPeer() {
    return link(out, TcpLink.class, "output").address();
  }

  @Override
  public SocketRegistry sockets() {
    return sockets;
  }

  @Override
  public <T> Future<T> blocking(String what, Callable<T> work) {
    Future<T> f = context.executeBlocking(work, false);
    synchronized (threadResults) {
      threadResults.add(f);
    }
    // release waits for calls in flight: a setup still opening a file must not create it after release
    return f.andThen(ar -> {
      synchronized (threadResults) {
        threadResults.remove(f);
      }
    });
  }

  @Override
  public <T> Future<T> thread(String what, Callable<T> work) {
    Promise<T> promise = Promise.promise();
    String threadName = "xfer-" + shortId() + "-" + name + "-" + what;
    synchronized (threadResults) {
      threadResults.add(promise.future());
    }
    try {
      reservation.execute(() -> {
        Thread me = Thread.currentThread();
        String idle = me.getName();
        me.setName(threadName);
        threads.add(me);
        try {
          if (cancelled) {
            throw new InterruptedException("cancelled");
          }
          promise.complete(work.call());
        } catch (Throwable t) {
          promise.fail(t);
        } finally {
          threads.remove(me);
          Thread.interrupted(); // a pool thread goes back clean
          me.setName(idle);
        }
      });
    } catch (RuntimeException e) {
      promise.tryFail(e);
    }
    return onContext(promise.future());
  }

  private String shortId() {
    return transferId.length() <= 12 ? transferId : transferId.substring(0, 12);
  }

  @Override
  public <T> Future<T> onContext(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> context.runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  @Override
  public void progress(long n) {
    bytes.addAndGet(n);
    if (progressPending.compareAndSet(false, true)) {
      long wait = Math.max(1, PROGRESS_INTERVAL_MS - (System.currentTimeMillis() - lastProgressAt));
      vertx.setTimer(wait, t -> {
        progressPending.set(false);
        lastProgressAt = System.currentTimeMillis();
        if (!cancelled) {
          flushProgress();
        }
      });
    }
  }

  @Override
  public void total(long bytes) {
    this.total = bytes;
  }

  private volatile JsonObject verifyChecksum;

  void verifyChecksum(JsonObject checksum) {
    this.verifyChecksum = checksum;
  }

  @Override
  public JsonObject verifyChecksum() {
    return verifyChecksum;
  }

  @Override
  public void sourceIdentity(String id) {
    identity.set(id == null ? "" : id);
  }

  @Override
  public String sourceIdentity() {
    return identity.get();
  }

  @Override
  public void info(JsonObject info) {
    reporter.accept(new Info(transferId, index, info));
  }

  @Override
  public boolean cancelled() {
    return cancelled;
  }
}
