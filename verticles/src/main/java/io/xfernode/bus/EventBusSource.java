package io.xfernode.bus;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.Buffers;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;

/**
 * {@code eventbus} source: chunks a client sends, as event-bus requests, to the data address published in
 * the submit's reply ({@code endpoints.source.address}). The event bus has no backpressure, so the source
 * grants credits: the reply to {@code open} grants {@value #WINDOW} chunks, and each chunk's reply grants one
 * more once the chunk is in the ring. A client that sends more than it was granted fails the transfer.
 *
 * <pre>
 * → {"op": "open"}                          ← {"credits": 16, "chunkSize": 65536}
 * → {"op": "data", "seq": 0, "data": b64}   ← {"credits": 1}        (held back while the ring is full)
 * → {"op": "end"}                           ← {"bytes": n}
 * → {"op": "abort", "reason": "…"}          ← {}                    (the transfer fails)
 * </pre>
 */
public final class EventBusSource extends BaseElementType<EventBusSource.Options> {

  static final int WINDOW = 16;
  static final int DEFAULT_CHUNK = 64 * 1024;

  /** @param chunkSize the chunk size asked for; 0 for the default, made to fit the node's frame limit */
  public record Options(int chunkSize, Duration idleTimeout) {
  }

  public EventBusSource() {
    super("eventbus", Role.SOURCE, "chunkSize", "idleTimeout");
  }

  @Override
  public Options parse(JsonFields f) {
    return new Options(f.has("chunkSize") ? f.integer("chunkSize", DEFAULT_CHUNK, 1, 1 << 20) : 0,
      BusEndpoint.idleTimeout(f));
  }

  @Override
  public List<MechPair> pairs(Options o) {
    return List.of(MechPair.source(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return "receives chunks of up to " + (o.chunkSize() == 0 ? DEFAULT_CHUNK : o.chunkSize())
      + " bytes from a client on the event bus";
  }

  @Override
  public Element create(Options o) {
    return new Receiver(o);
  }

  private static final class Receiver extends Element {
    private final Options o;
    private final Promise<Void> done = Promise.promise();
    private final ArrayDeque<Message<Object>> heldReplies = new ArrayDeque<>();
    private BusEndpoint endpoint;
    private WriteStream<Buffer> out;
    private ElementContext ctx;
    private long nextSeq;
    private int outstanding;
    private boolean opened;
    private long bytes;
    private int chunkSize;

    Receiver(Options o) {
      this.o = o;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      this.ctx = ctx;
      try {
        chunkSize = ChunkFit.fit(ctx.name(), o.chunkSize(), ctx.env().maxFrameBytes());
      } catch (XferException e) {
        return Future.failedFuture(e);
      }
      endpoint = new BusEndpoint(ctx, o.idleTimeout(), "no chunk from the client", done::tryFail);
      return endpoint.open(this::onMessage).map(address -> {
        ctx.publish("address", new JsonObject().put("address", address).put("chunkSize", chunkSize));
        endpoint.touch();
        return null;
      });
    }

    private void onMessage(Message<Object> msg) {
      if (done.future().isComplete()) {
        msg.fail(ErrorCode.CONFLICT, "the transfer has ended");
        return;
      }
      endpoint.touch();
      JsonObject body = msg.body() instanceof JsonObject ? (JsonObject) msg.body() : null;
      String op = body == null ? null : body.getString("op");
      try {
        switch (op == null ? "" : op) {
          case "open" -> {
            opened = true;
            msg.reply(new JsonObject().put("credits", WINDOW).put("chunkSize", chunkSize));
          }
          case "data" -> data(msg, body);
          case "end" -> end(msg);
          case "abort" -> {
            msg.reply(new JsonObject());
            done.tryFail(XferException.badRequest(ctx.name(), "the client aborted: " + body.getString("reason", "no reason")));
          }
          default -> throw XferException.badRequest("op", "must be open, data, end or abort");
        }
      } catch (XferException e) {
        msg.fail(e.code(), e.getMessage());
        done.tryFail(e);
      }
    }

    private void data(Message<Object> msg, JsonObject body) {
      if (!opened) {
        throw XferException.badRequest("op", "send open before data");
      }
      long seq = body.getLong("seq", -1L);
      if (seq != nextSeq) {
        throw XferException.badRequest("seq", "expected " + nextSeq + ", got " + seq);
      }
      if (outstanding >= WINDOW) {
        throw XferException.badRequest("seq", "chunk " + seq + " exceeds the credits granted");
      }
      byte[] bytesIn;
      try {
        bytesIn = Base64.getDecoder().decode(body.getString("data", ""));
      } catch (IllegalArgumentException e) {
        throw XferException.badRequest("data", "must be base64");
      }
      if (bytesIn.length > chunkSize) {
        throw XferException.badRequest("data", "a chunk of " + bytesIn.length + " bytes exceeds chunkSize " + chunkSize);
      }
      nextSeq++;
      bytes += bytesIn.length;
      output().write(Buffers.wrap(bytesIn, bytesIn.length));
      ctx.progress(bytesIn.length);
      if (output().writeQueueFull()) {
        outstanding++;
        heldReplies.add(msg);
        output().drainHandler(v -> release());
      } else {
        msg.reply(new JsonObject().put("credits", 1));
      }
    }

    private void release() {
      while (!heldReplies.isEmpty()) {
        outstanding--;
        heldReplies.poll().reply(new JsonObject().put("credits", 1));
      }
    }

    private void end(Message<Object> msg) {
      output().end();
      endpoint.stopTimer();
      msg.reply(new JsonObject().put("bytes", bytes));
      done.tryComplete();
    }

    private WriteStream<Buffer> output() {
      if (out == null) {
        out = ctx.outputStream();
      }
      return out;
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return done.future();
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      done.tryFail(reason);
      heldReplies.forEach(m -> m.fail(ErrorCode.CONFLICT, "the transfer ended: " + reason.getMessage()));
      heldReplies.clear();
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      return endpoint == null ? Future.succeededFuture() : endpoint.close();
    }
  }
}
