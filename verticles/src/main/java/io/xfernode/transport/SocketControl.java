package io.xfernode.transport;

import io.vertx.core.net.NetSocket;

/** How a Vert.x socket obeys its parent: pause and resume its reads, or abort on shutdown. */
public final class SocketControl implements ChildSocket.Control {

  private final NetSocket socket;

  public SocketControl(NetSocket socket) {
    this.socket = socket;
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public void shutdown(String reason) {
    NetSockets.abort(socket);
  }
}
