package io.xfernode.node.bridge;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Checks the JSON of one bridge frame before the stock bridge reads it. The stock bridge answers
 * nothing to a frame it cannot parse and logs a stack trace for a frame whose fields have the wrong
 * JSON types; this check turns both into a one-line error that names the field. It streams through
 * the JSON and builds nothing, so a large {@code body} costs one pass.
 */
final class FrameCheck {

  static final List<String> TYPES = List.of("send", "publish", "register", "unregister", "ping");

  private static final JsonFactory JSON = new JsonFactory();

  private FrameCheck() {
  }

  /** @return why the frame's JSON would be refused, naming the field; null when it is fine */
  static String problem(ByteBuf frame) {
    try (JsonParser parser = JSON.createParser((InputStream) new ByteBufInputStream(frame.duplicate()))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return "frame: must be a JSON object";
      }
      String type = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        String problem = checkField(parser, field, value);
        if (problem != null) {
          return problem;
        }
        if ("type".equals(field)) {
          type = parser.getText();
        }
      }
      if (parser.nextToken() != null) {
        return "frame: text after the JSON object";
      }
      if (type == null) {
        return "type: missing; one of " + String.join(", ", TYPES);
      }
      if (!TYPES.contains(type)) {
        return "type: unknown frame type '" + shorten(type) + "'; one of " + String.join(", ", TYPES);
      }
      return null;
    } catch (JsonProcessingException e) {
      // a limit (nesting depth, length) has no location
      String what = e.getOriginalMessage() == null ? "cannot parse" : e.getOriginalMessage().lines().findFirst().orElse("");
      return "frame: malformed JSON: " + what
        + (e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset());
    } catch (IOException e) {
      return "frame: unreadable: " + e.getMessage();
    }
  }

  /**
   * @return the frame's top-level {@code replyAddress} (or, failing that, its {@code address}), so that a frame
   * refused unread can still be answered where its sender waits; null when it has neither or is malformed
   */
  static String answerAddress(ByteBuf frame) {
    String address = null;
    try (JsonParser parser = JSON.createParser((InputStream) new ByteBufInputStream(frame.duplicate()))) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING && "replyAddress".equals(field)) {
          return parser.getText();
        }
        if (value == JsonToken.VALUE_STRING && "address".equals(field)) {
          address = parser.getText();
        }
        parser.skipChildren();
      }
      return address;
    } catch (IOException e) {
      return address;
    }
  }

  private static String checkField(JsonParser parser, String field, JsonToken value) throws IOException {
    switch (field) {
      case "type":
      case "address":
      case "replyAddress":
        return value == JsonToken.VALUE_STRING ? null : field + ": must be a string";
      case "headers":
        return checkHeaders(parser, value);
      default:
        parser.skipChildren();
        return null;
    }
  }

  private static String checkHeaders(JsonParser parser, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_OBJECT) {
      return "headers: must be an object of strings";
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (parser.nextToken() != JsonToken.VALUE_STRING) {
        return "headers." + shorten(name) + ": must be a string";
      }
    }
    return null;
  }

  private static String shorten(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
