package io.xfernode.sink;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.file.FileWriting;
import io.xfernode.file.Roots;

import java.util.List;

/**
 * {@code file} sink: writes to a temporary name next to {@code path} and renames it there atomically only
 * when the whole transfer has succeeded; on failure or cancel nothing is left at {@code path}. It takes a
 * channel (bytes arrive by {@code transferTo}/{@code transferFrom}) or a stream; with {@code tree} it
 * unpacks a directory stream into a directory, keeping relative paths and modification times. With
 * {@code resume} (or {@code options.resume}) and bytes that arrive by offset, restart markers next to the
 * partial file let a resubmit with the same id write only what is missing.
 */
public final class FileSink extends BaseElementType<FileSink.Options> {

  public FileSink() {
    super("file", Role.SINK, "path", "overwrite", "append", "resume", "fsync", "tree");
  }

  public record Options(String path, boolean overwrite, boolean append, boolean fsync, boolean tree,
                        boolean resume) {
  }

  @Override
  public Options parse(JsonFields f) {
    String path = f.string("path");
    Roots.checkSyntax(f.field("path"), path);
    Options o = new Options(path, f.bool("overwrite", false), f.bool("append", false), f.bool("fsync", false),
      f.bool("tree", false), f.bool("resume", false));
    if (o.append() && (o.overwrite() || o.tree())) {
      throw XferException.badRequest(f.field("append"), "cannot be combined with " + (o.tree() ? "tree" : "overwrite"));
    }
    if (o.resume() && (o.append() || o.tree())) {
      throw XferException.badRequest(f.field("resume"), "cannot be combined with " + (o.tree() ? "tree" : "append"));
    }
    return o;
  }

  @Override
  public List<MechPair> pairs(Options o) {
    if (o.tree()) {
      return List.of(MechPair.sink(Mechanism.PULL, 1, 1));
    }
    return List.of(MechPair.sink(Mechanism.CHANNEL, 0, 0), MechPair.sink(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    return (o.tree() ? "writes the tree " : o.append() ? "appends to " : "writes ") + o.path()
      + (o.append() ? "" : ", renamed into place when the transfer succeeds")
      + (o.overwrite() ? ", replacing it" : "") + (o.fsync() ? ", synced to disk" : "")
      + (o.resume() ? ", keeping restart markers" : "");
  }

  @Override
  public Element create(Options o) {
    return new FileWriting(o.path(), o.overwrite(), o.append(), o.fsync(), o.tree(), o.resume());
  }
}
