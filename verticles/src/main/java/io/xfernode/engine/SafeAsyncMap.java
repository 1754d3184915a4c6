package io.xfernode.engine;

import io.vertx.core.Future;
import io.vertx.core.shareddata.AsyncMap;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A cluster-wide map whose every operation ends in a future, failed or not. Hazelcast throws at once
 * instead when its instance is no longer active (a node leaving, a crash): that would escape into
 * whatever handler called it.
 */
public final class SafeAsyncMap<K, V> implements AsyncMap<K, V> {

  private final AsyncMap<K, V> map;

  private SafeAsyncMap(AsyncMap<K, V> map) {
    this.map = map;
  }

  public static <K, V> AsyncMap<K, V> of(AsyncMap<K, V> map) {
    return map instanceof SafeAsyncMap ? map : new SafeAsyncMap<>(map);
  }

  private static <T> Future<T> call(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<V> get(K k) {
    return call(() -> map.get(k));
  }

  @Override
  public Future<Void> put(K k, V v) {
    return call(() -> map.put(k, v));
  }

  @Override
  public Future<Void> put(K k, V v, long ttl) {
    return call(() -> map.put(k, v, ttl));
  }

  @Override
  public Future<V> putIfAbsent(K k, V v) {
    return call(() -> map.putIfAbsent(k, v));
  }

  @Override
  public Future<V> putIfAbsent(K k, V v, long ttl) {
    return call(() -> map.putIfAbsent(k, v, ttl));
  }

  @Override
  public Future<V> remove(K k) {
    return call(() -> map.remove(k));
  }

  @Override
  public Future<Boolean> removeIfPresent(K k, V v) {
    return call(() -> map.removeIfPresent(k, v));
  }

  @Override
  public Future<V> replace(K k, V v) {
    return call(() -> map.replace(k, v));
  }

  @Override
  public Future<V> replace(K k, V v, long ttl) {
    return call(() -> map.replace(k, v, ttl));
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue) {
    return call(() -> map.replaceIfPresent(k, oldValue, newValue));
  }

  @Override
  public Future<Boolean> replaceIfPresent(K k, V oldValue, V newValue, long ttl) {
    return call(() -> map.replaceIfPresent(k, oldValue, newValue, ttl));
  }

  @Override
  public Future<Void> clear() {
    return call(map::clear);
  }

  @Override
  public Future<Integer> size() {
    return call(map::size);
  }

  @Override
  public Future<Set<K>> keys() {
    return call(map::keys);
  }

  @Override
  public Future<List<V>> values() {
    return call(map::values);
  }

  @Override
  public Future<Map<K, V>> entries() {
    return call(map::entries);
  }
}
