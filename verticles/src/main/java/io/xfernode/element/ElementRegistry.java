package io.xfernode.element;

import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every element type this node knows, by role and type, from {@link ServiceLoader} or given explicitly. */
public final class ElementRegistry {

  private final Map<String, ElementType<?>> types = new TreeMap<>();

  private ElementRegistry() {
  }

  /** The element types listed in {@code META-INF/services/io.xfernode.element.ElementType}. */
  public static ElementRegistry load() {
    ElementRegistry registry = new ElementRegistry();
    for (ElementType<?> type : ServiceLoader.load(ElementType.class, ElementRegistry.class.getClassLoader())) {
      registry.add(type);
    }
    return registry;
  }

  public static ElementRegistry of(Collection<? extends ElementType<?>> types) {
    ElementRegistry registry = new ElementRegistry();
    types.forEach(registry::add);
    return registry;
  }

  /** @return a copy of this registry with {@code type} added (for tests and embedding programs) */
  public ElementRegistry with(ElementType<?> type) {
    ElementRegistry copy = of(this.types.values());
    copy.add(type);
    return copy;
  }

  private void add(ElementType<?> type) {
    String key = key(type.role(), type.type());
    if (types.putIfAbsent(key, type) != null) {
      throw new IllegalStateException("two element types for " + key);
    }
  }

  private static String key(Role role, String type) {
    return role.label() + ":" + type;
  }

  /** @throws XferException 404 naming the field when there is no such type for the role */
  public ElementType<?> get(Role role, String type, String field) {
    ElementType<?> t = types.get(key(role, type));
    if (t == null) {
      List<String> known = names(role);
      throw new XferException(ErrorCode.NOT_FOUND, field + ": unknown " + role.label() + " type \"" + type
        + "\" (known: " + String.join(", ", known) + ")");
    }
    return t;
  }

  /** @return the types of {@code role}, sorted */
  public List<String> names(Role role) {
    List<String> out = new ArrayList<>();
    for (ElementType<?> t : types.values()) {
      if (t.role() == role) {
        out.add(t.type());
      }
    }
    return out;
  }

  /** @return {@code source:file}, {@code filter:gzip}, ..., sorted; for {@code xfer.nodes} */
  public List<String> all() {
    return new ArrayList<>(types.keySet());
  }
}
