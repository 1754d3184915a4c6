package io.xfernode.transport;

/** How a connection obeys its parent: pause and resume its reads, or abort on shutdown. */
public final class SocketControl implements ChildSocket.Control {

  private final Connection connection;

  public SocketControl(Connection connection) {
    this.connection = connection;
  }

  @Override
  public void pause() {
    connection.pause();
  }

  @Override
  public void resume() {
    connection.resume();
  }

  @Override
  public void shutdown(String reason) {
    connection.abort();
  }
}
