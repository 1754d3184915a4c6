package io.xfernode.test;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.element.NodeEnv;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.Endpoint;
import io.xfernode.link.PullSource;
import io.xfernode.transport.SocketRegistry;

import java.util.concurrent.Callable;

/** An element context for unit tests of element parts: progress is ignored, anything else is refused. */
public class StubContext implements ElementContext {

  @Override
  public Vertx vertx() {
    throw new UnsupportedOperationException("vertx");
  }

  @Override
  public Context context() {
    throw new UnsupportedOperationException("context");
  }

  @Override
  public String transferId() {
    throw new UnsupportedOperationException("transferId");
  }

  @Override
  public String name() {
    throw new UnsupportedOperationException("name");
  }

  @Override
  public NodeEnv env() {
    throw new UnsupportedOperationException("env");
  }

  @Override
  public Mechanism inMechanism() {
    throw new UnsupportedOperationException("inMechanism");
  }

  @Override
  public Mechanism outMechanism() {
    throw new UnsupportedOperationException("outMechanism");
  }

  @Override
  public ReadStream<Buffer> inputStream() {
    throw new UnsupportedOperationException("inputStream");
  }

  @Override
  public WriteStream<Buffer> outputStream() {
    throw new UnsupportedOperationException("outputStream");
  }

  @Override
  public Buffer takeInput() throws InterruptedException {
    throw new UnsupportedOperationException("takeInput");
  }

  @Override
  public void putOutput(Buffer buffer) throws InterruptedException {
    throw new UnsupportedOperationException("putOutput");
  }

  @Override
  public void endOutput() {
    throw new UnsupportedOperationException("endOutput");
  }

  @Override
  public PullSource inputPuller() {
    throw new UnsupportedOperationException("inputPuller");
  }

  @Override
  public void offerPuller(PullSource source) {
    throw new UnsupportedOperationException("offerPuller");
  }

  @Override
  public void offerReadable(ChannelOffer offer) {
    throw new UnsupportedOperationException("offerReadable");
  }

  @Override
  public void offerWritable(ChannelOffer offer) {
    throw new UnsupportedOperationException("offerWritable");
  }

  @Override
  public ChannelOffer inputChannel() {
    throw new UnsupportedOperationException("inputChannel");
  }

  @Override
  public ChannelOffer outputChannel() {
    throw new UnsupportedOperationException("outputChannel");
  }

  @Override
  public Future<Long> channelDone() {
    throw new UnsupportedOperationException("channelDone");
  }

  @Override
  public void channelFinished(long bytes, Throwable failure) {
    throw new UnsupportedOperationException("channelFinished");
  }

  @Override
  public void listenInput(Endpoint endpoint) {
    throw new UnsupportedOperationException("listenInput");
  }

  @Override
  public void listenOutput(Endpoint endpoint) {
    throw new UnsupportedOperationException("listenOutput");
  }

  @Override
  public void publish(String what, JsonObject endpoint) {
    throw new UnsupportedOperationException("publish");
  }

  @Override
  public Future<Endpoint> inputPeer() {
    throw new UnsupportedOperationException("inputPeer");
  }

  @Override
  public Future<Endpoint> outputPeer() {
    throw new UnsupportedOperationException("outputPeer");
  }

  @Override
  public SocketRegistry sockets() {
    throw new UnsupportedOperationException("sockets");
  }

  @Override
  public <T> Future<T> blocking(String what, Callable<T> work) {
    throw new UnsupportedOperationException("blocking");
  }

  @Override
  public <T> Future<T> thread(String what, Callable<T> work) {
    throw new UnsupportedOperationException("thread");
  }

  @Override
  public <T> Future<T> onContext(Future<T> future) {
    throw new UnsupportedOperationException("onContext");
  }

  @Override
  public void progress(long bytes) {
    // ignored
  }

  @Override
  public void total(long bytes) {
    throw new UnsupportedOperationException("total");
  }

  @Override
  public void info(JsonObject info) {
    throw new UnsupportedOperationException("info");
  }

  @Override
  public boolean cancelled() {
    return false;
  }
}
