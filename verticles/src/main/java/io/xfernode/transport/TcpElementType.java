package io.xfernode.transport;

import io.vertx.core.Future;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.Role;

import java.util.HashSet;
import java.util.Set;

/** What the {@code tcp} source and sink share: their name, their options and how they parse them. */
public abstract class TcpElementType extends BaseElementType<TcpPeer.Options> {

  private static final Set<String> KEYS = keys();

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>(TransportOptions.KEYS);
    keys.addAll(TcpPeer.KEYS);
    return Set.copyOf(keys);
  }

  protected TcpElementType(Role role) {
    super("tcp", role, KEYS);
  }

  @Override
  public TcpPeer.Options parse(JsonFields fields) {
    return TcpPeer.Options.parse(fields, null);
  }

  /** Moves the bytes over the connection {@code peer} has opened; on failure the connection is aborted. */
  protected abstract Future<Void> run(TcpPeer peer, ElementContext ctx);

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
        return run(peer, ctx).onFailure(peer::abort);
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
