package io.xfernode.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.xfernode.api.Addresses;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;

/**
 * {@code eventbus} sink: sends the bytes as chunks to a client's {@code address} ({@code xfer.client.…}),
 * never more than the client has granted. The client grants credits by sending {@code {"op": "credit",
 * "n": k}} to the control address published in the submit's reply ({@code endpoints.sink.address}).
 *
 * <pre>
 * to the client:  {"op": "data", "seq": i, "data": b64}   {"op": "end", "bytes": n}   {"op": "abort", "reason"}
 * from it:        {"op": "credit", "n": k}
 * </pre>
 */
public final class EventBusSink extends BaseElementType<EventBusSink.Options> {

  /** @param chunkSize the chunk size asked for; 0 for the default, made to fit the node's frame limit */
  public record Options(String address, int chunkSize, Duration idleTimeout) {
  }

  public EventBusSink() {
    super("eventbus", Role.SINK, "address", "chunkSize", "idleTimeout");
  }

  @Override
  public Options parse(JsonFields f) {
    String address = f.string("address");
    if (!address.matches(Addresses.CLIENT_REGEX)) {
      throw XferException.badRequest(f.field("address"), "must be xfer.client. followed by 1 to 128 letters, digits, "
        + "'.', '_' or '-' (the bridges let clients receive there)");
    }
    int chunkSize = f.has("chunkSize") ? f.integer("chunkSize", EventBusSource.DEFAULT_CHUNK, 1, 1 << 20) : 0;
    return new Options(address, chunkSize, BusEndpoint.idleTimeout(f));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return "sends chunks of up to " + (o.chunkSize() == 0 ? EventBusSource.DEFAULT_CHUNK : o.chunkSize()) + " bytes to "
      + o.address() + " as the client grants credits";
  }

  @Override
  public Element create(Options o) {
    return new Sender(o);
  }

  private static final class Sender extends Element {
    private final Options o;
    private final Promise<Void> done = Promise.promise();
    private final ArrayDeque<Buffer> pending = new ArrayDeque<>();
    private BusEndpoint endpoint;
    private ElementContext ctx;
    private ReadStream<Buffer> in;
    private long credits;
    private long seq;
    private long bytes;
    private boolean inputEnded;
    private int chunkSize;

    Sender(Options o) {
      this.o = o;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      this.ctx = ctx;
      try {
        // the client's frames are small (credits), but its own limit is likely the node's, so chunks match it
        chunkSize = ChunkFit.fit(ctx.name(), o.chunkSize(), ctx.env().maxFrameBytes());
      } catch (XferException e) {
        return Future.failedFuture(e);
      }
      endpoint = new BusEndpoint(ctx, o.idleTimeout(), "the client granted no credit", done::tryFail);
      return endpoint.open(this::onCredit).map(control -> {
        ctx.publish("address", new JsonObject().put("address", control).put("to", o.address())
          .put("chunkSize", chunkSize));
        return null;
      });
    }

    private void onCredit(Message<Object> msg) {
      JsonObject body = msg.body() instanceof JsonObject ? (JsonObject) msg.body() : new JsonObject();
      long n = body.getLong("n", 0L);
      if (!"credit".equals(body.getString("op")) || n <= 0 || n > 1_000_000) {
        if (msg.replyAddress() != null) {
          msg.fail(ErrorCode.BAD_REQUEST, "n: a credit grants 1 to 1000000 chunks");
        }
        return;
      }
      credits += n;
      if (msg.replyAddress() != null) {
        msg.reply(new JsonObject().put("credits", credits));
      }
      pump();
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      in = ctx.inputStream();
      in.pause();
      in.exceptionHandler(done::tryFail);
      in.endHandler(v -> {
        inputEnded = true;
        pump();
      });
      in.handler(b -> {
        for (int i = 0; i < b.length(); i += chunkSize) {
          pending.add(b.slice(i, Math.min(b.length(), i + chunkSize)));
        }
        pump();
      });
      endpoint.touch();
      pump();
      return done.future();
    }

    /** Sends while there are credits and chunks; asks the ring for one more buffer when it runs dry. */
    private void pump() {
      if (in == null || done.future().isComplete()) {
        return;
      }
      while (credits > 0 && !pending.isEmpty()) {
        Buffer chunk = pending.poll();
        credits--;
        bytes += chunk.length();
        ctx.vertx().eventBus().send(o.address(), new JsonObject().put("op", "data").put("seq", seq++)
          .put("data", Base64.getEncoder().encodeToString(chunk.getBytes())));
        ctx.progress(chunk.length());
        endpoint.touch();
      }
      if (pending.isEmpty()) {
        if (inputEnded) {
          endpoint.stopTimer();
          ctx.vertx().eventBus().send(o.address(), new JsonObject().put("op", "end").put("bytes", bytes));
          done.tryComplete();
        } else if (credits > 0) {
          in.fetch(1);
        }
      }
    }


    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      done.tryFail(reason);
      if (!done.future().succeeded()) {
        ctx.vertx().eventBus().send(o.address(), new JsonObject().put("op", "abort")
          .put("reason", String.valueOf(reason.getMessage())));
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      return endpoint == null ? Future.succeededFuture() : endpoint.close();
    }
  }
}
