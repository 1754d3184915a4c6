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

  /** One element's own state; a glue made of two parts gives both the same. */
  private static final class Own {
    final int index;
    final String name;
    final AtomicLong bytes = new AtomicLong();
    volatile long filesDone = -1;
    volatile long filesTotal = -1;
    final AtomicBoolean progressPending = new AtomicBoolean();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    final List<Future<?>> threadResults = new ArrayList<>();
    final JsonObject published = new JsonObject();
    volatile boolean cancelled;
    volatile long lastProgressAt;
    volatile JsonObject verifyChecksum;
    long total = -1;
    Endpoint listenIn;
    Endpoint listenOut;

    Own(int index, String name) {
      this.index = index;
      this.name = name;
    }
  }

  private final SliceShared shared;
  private final Own own;
  private final Link in;
  private final Link out;
  private ReadStream<Buffer> inputStream;
  private WriteStream<Buffer> outputStream;

  /**
   * @param in  the link to the upstream neighbour, {@code null} for a source
   * @param out the link to the downstream neighbour, {@code null} for a sink
   */
  HostedContext(SliceShared shared, int index, String name, Link in, Link out) {
    this(shared, new Own(index, name), in, out);
  }

  private HostedContext(SliceShared shared, Own own, Link in, Link out) {
    this.shared = shared;
    this.own = own;
    this.in = in;
    this.out = out;
  }

  /**
   * The same element seen through other links: for a glue made of two parts joined by a ring of its
   * own, each part sees one of its links and the ring.
   */
  public HostedContext withLinks(Link in, Link out) {
    return new HostedContext(shared, own, in, out);
  }

  @Override
  public ElementContext withOutput(Link out) {
    return withLinks(in, out);
  }

  @Override
  public ElementContext withInput(Link in) {
    return withLinks(in, out);
  }

  @Override
  public Pools pools() {
    return shared.pools();
  }

  @Override
  public PoolLink poolLink() {
    return in instanceof PoolLink ? (PoolLink) in : out instanceof PoolLink ? (PoolLink) out : null;
  }

  int index() {
    return own.index;
  }

  void report(ControlMessage msg) {
    shared.reporter().accept(msg);
  }

  long bytes() {
    return own.bytes.get();
  }

  Ready.Element ready() {
    return new Ready.Element(own.index, own.listenIn, own.listenOut,
      own.published.isEmpty() ? null : own.published.copy(), own.total);
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
    own.cancelled = true;
    if (in != null) {
      in.fail(reason);
    }
    if (out != null) {
      out.fail(reason);
    }
    if (!own.threads.isEmpty()) {
      // interrupting a thread inside FileChannel I/O closes the channel and waits for the kernel call to
      // return: a worker does it, not the event loop. It interrupts the threads still working for this
      // element then, never one that went back to the pool meanwhile (see thread())
      shared.vertx().executeBlocking(() -> {
        synchronized (own.threads) {
          own.threads.forEach(Thread::interrupt);
        }
        return null;
      }, false);
    }
  }

  /**
   * Completes once every thread this element started, and every blocking call it made, has ended (or after
   * {@value #THREAD_JOIN_MS} ms).
   */
  Future<Void> awaitThreads() {
    List<Future<?>> running;
    synchronized (own.threadResults) {
      running = new ArrayList<>(own.threadResults);
    }
    if (running.isEmpty()) {
      return Future.succeededFuture();
    }
    // how they ended does not matter here (the element reported that): only that they did
    return onContext(Future.join(running).otherwiseEmpty()).<Void>mapEmpty()
      .timeout(THREAD_JOIN_MS, TimeUnit.MILLISECONDS)
      .recover(t -> {
        log.warn("transfer {}: a thread of {} did not end within {} ms of being interrupted", shared.transferId(),
          own.name, THREAD_JOIN_MS);
        return Future.succeededFuture();
      });
  }

  void flushProgress() {
    report(new Progress(shared.transferId(), own.index, own.bytes.get(), own.filesDone, own.filesTotal));
  }

  @Override
  public Vertx vertx() {
    return shared.vertx();
  }

  @Override
  public Context context() {
    return shared.context();
  }

  @Override
  public String transferId() {
    return shared.transferId();
  }

  @Override
  public String name() {
    return own.name;
  }

  @Override
  public NodeEnv env() {
    return shared.env();
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
      throw new IllegalStateException(own.name + ": the " + side + " link is " + (link == null ? "absent" : link.mechanism())
        + ", not " + type.getSimpleName());
    }
    return type.cast(link);
  }

  @Override
  public ReadStream<Buffer> inputStream() {
    if (inputStream == null) {
      inputStream = link(in, Ring.class, "input").reader(shared.context());
    }
    return inputStream;
  }

  @Override
  public WriteStream<Buffer> outputStream() {
    if (outputStream == null) {
      outputStream = link(out, Ring.class, "output").writer(shared.context());
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
    own.listenIn = endpoint;
    if (in instanceof TcpLink) {
      ((TcpLink) in).listening(endpoint);
    }
  }

  @Override
  public void listenOutput(Endpoint endpoint) {
    own.listenOut = endpoint;
    if (out instanceof TcpLink) {
      ((TcpLink) out).listening(endpoint);
    }
  }

  @Override
  public void publish(String what, JsonObject endpoint) {
    own.published.put(what, endpoint.copy());
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
    return shared.sockets();
  }

  @Override
  public byte[] hopToken() {
    return shared.token() == null ? null : shared.token().clone();
  }

  @Override
  public <T> Future<T> blocking(String what, Callable<T> work) {
    Future<T> f = shared.context().executeBlocking(work, false);
    synchronized (own.threadResults) {
      own.threadResults.add(f);
    }
    // release waits for calls in flight: a setup still opening a file must not create it after release
    return f.andThen(ar -> {
      synchronized (own.threadResults) {
        own.threadResults.remove(f);
      }
    });
  }

  @Override
  public <T> Future<T> thread(String what, Callable<T> work) {
    Promise<T> promise = Promise.promise();
    String threadName = "xfer-" + shortId() + "-" + own.name + "-" + what;
    synchronized (own.threadResults) {
      own.threadResults.add(promise.future());
    }
    try {
      shared.threads().execute(() -> {
        Thread me = Thread.currentThread();
        String idle = me.getName();
        me.setName(threadName);
        own.threads.add(me);
        try {
          if (own.cancelled) {
            throw new InterruptedException("cancelled");
          }
          promise.complete(work.call());
        } catch (Throwable t) {
          promise.fail(t);
        } finally {
          synchronized (own.threads) { // after this, no interrupt of this element's can reach the thread
            own.threads.remove(me);
          }
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
    String id = shared.transferId();
    return id.length() <= 12 ? id : id.substring(0, 12);
  }

  @Override
  public <T> Future<T> onContext(Future<T> future) {
    Promise<T> promise = Promise.promise();
    future.onComplete(ar -> shared.context().runOnContext(v -> promise.handle(ar)));
    return promise.future();
  }

  @Override
  public void progress(long n) {
    own.bytes.addAndGet(n);
    if (own.progressPending.compareAndSet(false, true)) {
      long wait = Math.max(1, PROGRESS_INTERVAL_MS - (System.currentTimeMillis() - own.lastProgressAt));
      shared.vertx().setTimer(wait, t -> {
        own.progressPending.set(false);
        own.lastProgressAt = System.currentTimeMillis();
        if (!own.cancelled) {
          flushProgress();
        }
      });
    }
  }

  @Override
  public void files(long done, long total) {
    own.filesTotal = total;
    own.filesDone = done;
    progress(0);
  }

  @Override
  public void total(long bytes) {
    own.total = bytes;
  }

  void verifyChecksum(JsonObject checksum) {
    own.verifyChecksum = checksum;
  }

  @Override
  public JsonObject verifyChecksum() {
    return own.verifyChecksum;
  }

  @Override
  public void sourceIdentity(String id) {
    shared.identity().set(id == null ? "" : id);
  }

  @Override
  public String sourceIdentity() {
    return shared.identity().get();
  }

  @Override
  public boolean resume() {
    return shared.resume();
  }

  @Override
  public long bufferBytes() {
    return shared.bufferBytes();
  }

  @Override
  public void info(JsonObject info) {
    report(new Info(shared.transferId(), own.index, info));
  }

  @Override
  public boolean cancelled() {
    return own.cancelled;
  }
}
