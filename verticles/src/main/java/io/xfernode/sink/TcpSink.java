package io.xfernode.sink;

import io.vertx.core.Future;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.ElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.CountingWriteStream;
import io.xfernode.transport.TcpPeer;
import io.xfernode.transport.TransportOptions;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code tcp} sink: writes the bytes to one TCP (or TLS) connection, in {@code mode} listen or connect. A
 * completed sink closes cleanly (or, with {@code halfClose}, shuts its output down and waits for the peer
 * to close); a cancelled or failed one aborts with a reset, so the peer never mistakes it for a clean end.
 */
public final class TcpSink implements ElementType<TcpPeer.Options> {

  @Override
  public String type() {
    return "tcp";
  }

  @Override
  public Role role() {
    return Role.SINK;
  }

  @Override
  public Set<String> optionKeys() {
    Set<String> keys = new HashSet<>(TransportOptions.KEYS);
    keys.addAll(TcpPeer.KEYS);
    return keys;
  }

  @Override
  public TcpPeer.Options parse(JsonFields fields) {
    return TcpPeer.Options.parse(fields, null);
  }

  @Override
  public List<MechPair> pairs(TcpPeer.Options options) {
    return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(TcpPeer.Options options) {
    return "writes a connection: " + options.describe();
  }

  @Override
  public Element create(TcpPeer.Options options) {
    TcpPeer peer = new TcpPeer(options);
    return new Element() {
      @Override
      public Future<Void> setup(ElementContext ctx) {
        return peer.setup(ctx);
      }

      @Override
      public Future<Void> start(ElementContext ctx) {
        return peer.open(ctx).compose(socket -> {
          socket.resume();
          return ctx.inputStream().pipe().endOnSuccess(false).endOnFailure(false)
            .to(new CountingWriteStream(socket, ctx::progress));
        }).compose(v -> peer.finish(ctx)).onFailure(peer::abort);
      }

      @Override
      public void cancel(ElementContext ctx, Throwable reason) {
        peer.abort(reason);
      }

      @Override
      public Future<Void> release(ElementContext ctx) {
        return peer.release();
      }
    };
  }
}
