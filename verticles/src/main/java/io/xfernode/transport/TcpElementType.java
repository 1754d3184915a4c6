package io.xfernode.transport;

import io.xfernode.api.JsonFields;
import io.xfernode.element.ElementType;

import java.util.HashSet;
import java.util.Set;

/** What the {@code tcp} source and sink share: their name, their options and how they parse them. */
public abstract class TcpElementType implements ElementType<TcpPeer.Options> {

  private static final Set<String> KEYS = keys();

  private static Set<String> keys() {
    Set<String> keys = new HashSet<>(TransportOptions.KEYS);
    keys.addAll(TcpPeer.KEYS);
    return Set.copyOf(keys);
  }

  @Override
  public String type() {
    return "tcp";
  }

  @Override
  public Set<String> optionKeys() {
    return KEYS;
  }

  @Override
  public TcpPeer.Options parse(JsonFields fields) {
    return TcpPeer.Options.parse(fields, null);
  }
}
