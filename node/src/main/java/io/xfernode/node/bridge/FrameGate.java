package io.xfernode.node.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.Access;
import io.xfernode.api.Caller;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.node.auth.Permissions;
import io.xfernode.node.auth.Tokens;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What both event-bus bridges (TCP and SockJS) do with a client's frame before the stock bridge sees it:
 * <ul>
 *   <li>a malformed frame, or one without an address, is refused with 400 naming the field, and one for an
 *   address that is not public (SPEC 2.1) with 403;</li>
 *   <li>with tokens configured, a frame that carries none in {@code headers.authorization}, or an unknown
 *   one, is refused with 401, and one whose token's role does not allow the frame with 403;</li>
 *   <li>an admitted frame loses its {@code authorization} header and any {@code xfer-} headers the client
 *   wrote, and is stamped with its caller ({@link Caller#stamp}), so that what it reaches knows who
 *   asked.</li>
 * </ul>
 * A frame larger than {@code limits.maxRequestBytes} is refused with 400 naming the limit, unread but for
 * its reply address.
 * A refusal is an {@code err} frame like the stock bridge's for a failed request: {@code failureCode},
 * {@code message}, and the {@code replyAddress} (or the address registered) as its {@code address}.
 */
public final class FrameGate {

  private static final String AUTHORIZATION = "authorization";

  private final Tokens tokens;
  private final int maxFrameBytes;

  /** @param maxFrameBytes {@code limits.maxRequestBytes}: the largest frame's JSON, in bytes */
  public FrameGate(Tokens tokens, int maxFrameBytes) {
    this.tokens = tokens;
    this.maxFrameBytes = maxFrameBytes;
  }

  /** The message of the refusal for a frame above the limit. */
  public static String tooLarge(int maxFrameBytes) {
    return "frame: larger than limits.maxRequestBytes (" + maxFrameBytes + " bytes)";
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }

  /** The err frame for a frame above the limit that cannot be read at all (its address is unknown). */
  public JsonObject tooLargeRefusal() {
    return refuse(null, new XferException(ErrorCode.BAD_REQUEST, tooLarge(maxFrameBytes))).refusal();
  }

  /** The outcome for one frame: the frame to pass on, or the err frame to answer with. */
  public record Verdict(JsonObject pass, JsonObject refusal) {
  }

  /** @param json one frame's JSON, not consumed */
  public Verdict check(ByteBuf json) {
    if (json.readableBytes() > maxFrameBytes) {
      return refuse(FrameCheck.answerAddress(json), new XferException(ErrorCode.BAD_REQUEST, tooLarge(maxFrameBytes)));
    }
    String problem = FrameCheck.problem(json);
    if (problem != null) {
      return refuse(null, new XferException(ErrorCode.BAD_REQUEST, problem));
    }
    JsonObject frame;
    try (InputStream in = new ByteBufInputStream(json.duplicate())) {
      frame = new JsonObject(io.vertx.core.buffer.Buffer.buffer(in.readAllBytes()));
    } catch (IOException | RuntimeException e) {
      return refuse(null, XferException.badRequest("frame", "malformed JSON"));
    }
    return check(frame);
  }

  /** @param frame a frame that passed {@link FrameCheck}; it is changed in place when admitted */
  Verdict check(JsonObject frame) {
    String type = frame.getString("type");
    if ("ping".equals(type)) {
      return new Verdict(frame, null);
    }
    String address = frame.getString("address");
    try {
      if (address == null) {
        throw XferException.badRequest("address", "missing: a " + type + " frame names an address");
      }
      boolean sends = "send".equals(type) || "publish".equals(type);
      if (sends ? !Permissions.sendable(address) : !Permissions.receivable(address)) {
        throw XferException.forbidden("address", JsonFields.describe(address) + " is not a public address a client may "
          + (sends ? "send to" : "listen on"));
      }
      JsonObject headers = frame.getJsonObject("headers");
      String authorization = headers == null ? null : headers.getString(AUTHORIZATION);
      Caller caller = tokens.authenticate(authorization, "headers.authorization");
      JsonObject kept = clean(headers);
      if (caller != null) {
        Access needed = sends ? Permissions.toSend(address) : Permissions.toReceive(address);
        caller.require(needed, "address", (sends ? "sending to " : "listening on ") + address);
        if (caller.name() != null) {
          kept.put(Caller.NAME_HEADER, caller.name());
        }
        kept.put(Caller.ACCESS_HEADER, caller.access().label());
      }
      if (kept.isEmpty()) {
        frame.remove("headers");
      } else {
        frame.put("headers", kept);
      }
      return new Verdict(frame, null);
    } catch (XferException e) {
      String to = frame.getString("replyAddress");
      return refuse(to != null ? to : address, e);
    }
  }

  /** The client's headers without its authorization and without any the node writes itself. */
  private static JsonObject clean(JsonObject headers) {
    JsonObject kept = new JsonObject();
    if (headers == null) {
      return kept;
    }
    List<String> names = new ArrayList<>(headers.fieldNames());
    for (String name : names) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!lower.equals(AUTHORIZATION) && !lower.startsWith(Caller.RESERVED_PREFIX)) {
        kept.put(name, headers.getValue(name));
      }
    }
    return kept;
  }

  private static Verdict refuse(String address, XferException e) {
    JsonObject err = new JsonObject().put("type", "err");
    if (address != null) {
      err.put("address", address);
    }
    err.put("failureCode", e.code()).put("failureType", "RECIPIENT_FAILURE").put("message", e.getMessage());
    return new Verdict(null, err);
  }
}
