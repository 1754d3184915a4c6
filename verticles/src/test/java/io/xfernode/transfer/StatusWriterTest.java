package io.xfernode.transfer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A transfer's status writes land one at a time and in order, so the final one is never overwritten. */
class StatusWriterTest {

  /** The puts the map has been asked for, each completed by the test when it chooses. */
  private final List<JsonObject> written = new ArrayList<>();
  private final List<Long> ttls = new ArrayList<>();
  private final List<Promise<Void>> inFlight = new ArrayList<>();
  private int failuresToInject;

  @SuppressWarnings("unchecked")
  private final AsyncMap<String, JsonObject> map = (AsyncMap<String, JsonObject>) Proxy.newProxyInstance(
    getClass().getClassLoader(), new Class<?>[] {AsyncMap.class}, (proxy, method, args) -> {
      if (!method.getName().equals("put")) {
        throw new UnsupportedOperationException(method.getName());
      }
      written.add((JsonObject) args[1]);
      ttls.add(args.length > 2 ? (Long) args[2] : null);
      if (failuresToInject > 0) {
        failuresToInject--;
        return Future.failedFuture("member left");
      }
      Promise<Void> p = Promise.promise();
      inFlight.add(p);
      return p.future();
    });

  private final StatusStore.Writer writer = new StatusStore(map, 60_000).writer("t1");

  private static JsonObject status(String state, long bytes) {
    return new JsonObject().put("state", state).put("bytes", bytes);
  }

  @Test
  void a_write_waits_for_the_one_before_it() {
    writer.put(status("RUNNING", 1));
    writer.put(status("RUNNING", 2));

    assertThat(written).containsExactly(status("RUNNING", 1));
    inFlight.get(0).complete();
    assertThat(written).containsExactly(status("RUNNING", 1), status("RUNNING", 2));
  }

  @Test
  void a_queued_running_status_is_replaced_by_a_newer_one() {
    writer.put(status("RUNNING", 1));
    writer.put(status("RUNNING", 2));
    writer.put(status("RUNNING", 3));

    inFlight.get(0).complete();
    assertThat(written).containsExactly(status("RUNNING", 1), status("RUNNING", 3));
  }

  @Test
  void the_final_status_is_written_last_and_drops_a_queued_running_one() {
    writer.put(status("RUNNING", 1));
    writer.put(status("RUNNING", 2));
    Future<Void> fin = writer.putFinal(status("FAILED", 2));

    assertThat(fin.isComplete()).isFalse();
    inFlight.get(0).fail("slow member");
    assertThat(written).containsExactly(status("RUNNING", 1), status("FAILED", 2));
    assertThat(ttls).containsExactly(null, 60_000L);
    inFlight.get(1).complete();
    assertThat(fin.succeeded()).isTrue();
  }

  @Test
  void a_failed_final_write_is_tried_again() {
    failuresToInject = 1;
    Future<Void> fin = writer.putFinal(status("DONE", 7));

    assertThat(written).containsExactly(status("DONE", 7), status("DONE", 7));
    inFlight.get(0).complete();
    assertThat(fin.succeeded()).isTrue();
  }
}
