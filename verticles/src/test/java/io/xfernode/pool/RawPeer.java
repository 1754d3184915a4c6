package io.xfernode.pool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.vertx.core.net.SocketAddress;
import io.xfernode.pool.wire.Frame;
import io.xfernode.pool.wire.FrameCodec;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;

/** A hand-driven peer on a blocking socket: it speaks the pool protocol frame by frame, right or wrong. */
final class RawPeer implements AutoCloseable {

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawPeer(SocketAddress to) throws IOException {
    socket = new Socket(to.host(), to.port());
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(Frame f) throws IOException {
    ByteBuf b = FrameCodec.encode(f, UnpooledByteBufAllocator.DEFAULT);
    out.write(ByteBufUtil.getBytes(b));
    b.release();
  }

  void sendData(int channel, long offset, byte[] payload) throws IOException {
    ByteBuf h = FrameCodec.dataHeader(UnpooledByteBufAllocator.DEFAULT, channel, offset, payload.length);
    out.write(ByteBufUtil.getBytes(h));
    h.release();
    out.write(payload);
  }

  Frame read() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return FrameCodec.decode(Unpooled.wrappedBuffer(frame));
  }

  /**
   * Runs the connecting side of the handshake as node {@code self} into {@code pool}; {@code key} is what
   * it proves itself with (the right key, or not).
   *
   * @return what the accepting side answered last: WELCOME's node once the proof went out, or its REFUSE
   */
  Frame handshake(String pool, String self, byte[] key) throws IOException {
    byte[] nonce = new byte[Frame.NONCE_BYTES];
    new SecureRandom().nextBytes(nonce);
    send(new Frame.Hello(Frame.VERSION, pool, self, nonce));
    Frame answer = read();
    if (!(answer instanceof Frame.Welcome w)) {
      return answer;
    }
    send(new Frame.Proof(NodeKeys.mac(key, "hello", pool, self, w.node(), w.nonce(), nonce)));
    return w;
  }

  /** @return whether the peer closed (or reset) the connection, reading what is left */
  boolean closed() {
    try {
      while (in.read() >= 0) {
        // discard
      }
      return true;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
