package io.xfernode.transfer.msg;

import io.vertx.core.json.JsonObject;

/**
 * Agent → controller: step {@code index} has moved {@code bytes} so far, and, for a source of a tree, sent
 * {@code filesDone} of its {@code filesTotal} files (-1 when it has no files to count); at most every 250 ms.
 */
public record Progress(String transfer, int index, long bytes, long filesDone, long filesTotal)
  implements ControlMessage {

  public Progress(String transfer, int index, long bytes) {
    this(transfer, index, bytes, -1, -1);
  }

  @Override
  public String type() {
    return "PROGRESS";
  }

  @Override
  public JsonObject fields() {
    JsonObject f = new JsonObject().put("index", index).put("bytes", bytes);
    return filesTotal < 0 ? f : f.put("filesDone", filesDone).put("filesTotal", filesTotal);
  }

  static Progress fromJson(JsonObject json) {
    return new Progress(json.getString("transfer"), json.getInteger("index"), json.getLong("bytes", 0L),
      json.getLong("filesDone", -1L), json.getLong("filesTotal", -1L));
  }
}
