package io.xfernode.element;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.Endpoint;
import io.xfernode.transport.SocketRegistry;
import io.xfernode.link.PullSource;
import io.xfernode.pool.PoolLink;
import io.xfernode.pool.Pools;

import java.util.concurrent.Callable;

/**
 * What a running element sees of the engine: its links to its neighbours, one accessor per mechanism,
 * its node, a way to run blocking work, and a way to report.
 */
public interface ElementContext {

  Vertx vertx();

  /** The context of the verticle hosting this element; every call to the element happens on it. */
  Context context();

  String transferId();

  /** The element's name in the plan: {@code source}, {@code filters[0]}, {@code glue[2]}, {@code sink}. */
  String name();

  NodeEnv env();

  /** The mechanism of the input link, or {@code null} for a source. */
  Mechanism inMechanism();

  /** The mechanism of the output link, or {@code null} for a sink. */
  Mechanism outMechanism();

  // ---- PUSH

  /** The input as a stream delivering on this element's context. */
  ReadStream<Buffer> inputStream();

  /** The output as a stream; its drain handler runs on this element's context. {@code end()} ends the data. */
  WriteStream<Buffer> outputStream();

  /** Blocking read of the PUSH input, for a worker thread; {@code null} at the end of the stream. */
  Buffer takeInput() throws InterruptedException;

  /** Blocking write to the PUSH output, for a worker thread. */
  void putOutput(Buffer buffer) throws InterruptedException;

  /** Ends the PUSH output. */
  void endOutput();

  // ---- PULL

  /** The upstream's blocking source; call it from a thread started with {@link #blocking}. */
  PullSource inputPuller();

  /** Offers this element's output to its downstream, at setup. */
  void offerPuller(PullSource source);

  // ---- CHANNEL

  /** At setup, an upstream element exposes the channel its output can be read from. */
  void offerReadable(ChannelOffer offer);

  /** At setup, a downstream element exposes the channel its input can be written to. */
  void offerWritable(ChannelOffer offer);

  /** For the glue that drives an input CHANNEL link: what the upstream offered. */
  ChannelOffer inputChannel();

  /** For the glue that drives an output CHANNEL link: what the downstream offered. */
  ChannelOffer outputChannel();

  /** For the side that offered a channel: completes (on this context) with the bytes moved through it. */
  Future<Long> channelDone();

  /** For the glue: reports that the bytes through its CHANNEL link(s) have all moved, or how it failed. */
  void channelFinished(long bytes, Throwable failure);

  // ---- TCP_LISTEN / TCP_CONNECT

  /** At setup, an element that listens for its input connection publishes where; it goes into READY. */
  void listenInput(Endpoint endpoint);

  /** At setup, an element that listens for its output connection publishes where; it goes into READY. */
  void listenOutput(Endpoint endpoint);

  /**
   * At setup, an element that an external peer (not a neighbour) must reach publishes where, e.g.
   * {@code {"host", "port"}} or {@code {"address"}}; it goes into READY, the submit's reply and the status.
   */
  void publish(String what, JsonObject endpoint);

  /** For the connecting side of the input link: the upstream's listen endpoint, once known. */
  Future<Endpoint> inputPeer();

  /** For the connecting side of the output link: the downstream's listen endpoint, once known. */
  Future<Endpoint> outputPeer();

  /** The node's listeners, which every listening element registers with (parent/child, SPEC 1.3). */
  SocketRegistry sockets();

  /**
   * The transfer's token (128 random bits from its controller), which every connection of a direct hop
   * presents before any byte counts; null where there is none.
   */
  default byte[] hopToken() {
    return null;
  }

  // ---- POOL

  /** This node's pools; null on an engine without them. */
  default Pools pools() {
    return null;
  }

  /** For the glue at either end of a pool hop: the hop's pool, streams, token and nodes; otherwise null. */
  default PoolLink poolLink() {
    return null;
  }

  // ---- parts of one element

  /** The same element with {@code out} as its output: the first part of a glue made of two. */
  default ElementContext withOutput(io.xfernode.link.Link out) {
    throw new UnsupportedOperationException("withOutput");
  }

  /** The same element with {@code in} as its input: the second part of a glue made of two. */
  default ElementContext withInput(io.xfernode.link.Link in) {
    throw new UnsupportedOperationException("withInput");
  }

  // ---- threads and reporting

  /**
   * Runs a short blocking call (opening a file, a rename) on the node's worker pool. The future completes
   * on this element's context.
   */
  <T> Future<T> blocking(String what, Callable<T> work);

  /**
   * Runs work that lasts the whole transfer (a copy loop, the end of a PULL chain) on one of the stream
   * threads the transfer reserved on this node: an element calls this no more often than the threads its
   * mechanism pair declares. The thread is named after the transfer and element while it runs, and cancel
   * interrupts it. The future completes on this element's context.
   */
  <T> Future<T> thread(String what, Callable<T> work);

  /** Moves a future's completion onto this element's context. */
  <T> Future<T> onContext(Future<T> future);

  /** Adds bytes this element has moved; the engine reports them at most every 250 ms. Thread-safe. */
  void progress(long bytes);

  /** The total bytes the transfer will move, when a source knows it. */
  void total(long bytes);

  /**
   * A source of several files (a tree) says how many it has sent whole so far, of how many; they go with
   * the next progress report. Thread-safe.
   */
  default void files(long done, long total) {
  }

  /**
   * A source says what identifies its bytes (a file's size and modification time), so that a resumed
   * transfer can tell whether the bytes a receiver holds came from the same source.
   */
  default void sourceIdentity(String identity) {
  }

  /**
   * At commit, with {@code options.verify}: the checksum ({@code {"algorithm", "value"}}) of the bytes that
   * arrived, which a sink reads back what it wrote to compare with; otherwise null.
   */
  default JsonObject verifyChecksum() {
    return null;
  }

  /** What the transfer's source on this node said identifies its bytes; "" when unknown. */
  default String sourceIdentity() {
    return "";
  }

  /**
   * The bytes each buffer of this transfer on this node may hold (a ring, a queue, a receiver's window):
   * its share of the node's memory budget, {@code limits.maxBufferedBytes}.
   */
  default long bufferBytes() {
    return env().maxBufferedBytes();
  }

  /**
   * Whether the transfer resumes ({@code options.resume}): a file sink keeps restart markers next to its
   * partial file, and keeps the file when the transfer fails, for a resubmit with the same id.
   */
  default boolean resume() {
    return false;
  }

  /** Sends an INFO report (e.g. a file opened, a connection made). */
  void info(JsonObject info);

  /** @return whether the transfer was cancelled or failed; long loops check it */
  boolean cancelled();
}
