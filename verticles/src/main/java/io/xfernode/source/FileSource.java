package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.file.Roots;
import io.xfernode.file.TreeSource;
import io.xfernode.link.ChannelOffer;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;

/**
 * {@code file} source: a file from {@code offset} for {@code length} bytes, offered as a channel (so that a
 * file or socket downstream gets it by {@code transferTo}, without a copy) or as a stream; or, with
 * {@code recursive}, a whole directory tree as one {@link io.xfernode.file.TreeArchive} stream.
 */
public final class FileSource extends BaseElementType<FileSource.Options> {

  public FileSource() {
    super("file", Role.SOURCE, "path", "offset", "length", "recursive");
  }

  /** @param length -1 for everything from {@code offset} */
  public record Options(String path, long offset, long length, boolean recursive) {
  }

  @Override
  public Options parse(JsonFields f) {
    String path = f.string("path");
    Roots.checkSyntax(f.field("path"), path);
    boolean recursive = f.bool("recursive", false);
    long offset = f.number("offset", 0, 0, Long.MAX_VALUE);
    long length = f.number("length", -1, -1, Long.MAX_VALUE);
    if (recursive && (offset != 0 || length != -1)) {
      throw XferException.badRequest(f.field("recursive"), "a directory tree is sent whole: no offset or length");
    }
    return new Options(path, offset, length, recursive);
  }

  @Override
  public List<MechPair> pairs(Options o) {
    if (o.recursive()) {
      return List.of(MechPair.source(Mechanism.PULL, 1, 0));
    }
    return List.of(MechPair.source(Mechanism.CHANNEL, 0, 0), MechPair.source(Mechanism.PUSH, 1, 0));
  }

  @Override
  public String describe(Options o) {
    if (o.recursive()) {
      return "reads the tree " + o.path();
    }
    return "reads " + o.path() + (o.offset() > 0 ? " from byte " + o.offset() : "")
      + (o.length() >= 0 ? ", " + o.length() + " bytes" : "");
  }

  @Override
  public Element create(Options o) {
    return o.recursive() ? new TreeSource(o.path()) : new Single(o);
  }

  /** One file. */
  private static final class Single extends Element {
    private final Options o;
    private Path file;
    private Object fileKey;
    private long count;
    private FileChannel channel;
    private AsyncFile async;

    Single(Options o) {
      this.o = o;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      String field = ctx.name() + ".path";
      return ctx.blocking("open", () -> {
        file = new Roots(ctx.env().roots()).existing(field, o.path());
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (a.isDirectory()) {
          throw XferException.badRequest(field, o.path() + " is a directory: set recursive to send its tree");
        }
        if (o.offset() > a.size()) {
          throw XferException.badRequest(ctx.name() + ".offset", "is beyond the end of " + o.path()
            + " (" + a.size() + " bytes)");
        }
        if (o.length() >= 0 && o.offset() + o.length() > a.size()) {
          throw XferException.badRequest(ctx.name() + ".length", "goes beyond the end of " + o.path()
            + " (" + a.size() + " bytes)");
        }
        fileKey = a.fileKey();
        count = o.length() >= 0 ? o.length() : a.size() - o.offset();
        ctx.total(count);
        if (ctx.outMechanism() == Mechanism.CHANNEL) {
          channel = FileChannel.open(file, StandardOpenOption.READ);
          ctx.offerReadable(new ChannelOffer(channel, o.offset(), count));
        }
        return null;
      }).compose(v -> ctx.outMechanism() == Mechanism.PUSH
        ? ctx.vertx().fileSystem().open(file.toString(), new OpenOptions().setRead(true).setWrite(false))
          .onSuccess(f -> async = f.setReadPos(o.offset()).setReadLength(count).setReadBufferSize(ctx.env().chunkSize()))
          .<Void>mapEmpty()
        : Future.succeededFuture());
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      Future<?> read = ctx.outMechanism() == Mechanism.CHANNEL
        ? ctx.channelDone()
        : async.pipe().endOnFailure(false).to(ctx.outputStream());
      return read.compose(v -> ctx.blocking("check", () -> {
        checkStillThere(ctx);
        return null;
      })).mapEmpty();
    }

    /** Linux keeps reading a file that was deleted or replaced: only a look at the path tells. */
    private void checkStillThere(ElementContext ctx) throws Exception {
      Object now;
      try {
        now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      } catch (NoSuchFileException e) {
        now = null;
      }
      if (now == null || !Objects.equals(now, fileKey)) {
        throw new XferException(ErrorCode.NOT_FOUND, ctx.name() + ".path: " + o.path()
          + " was removed or replaced while it was being read");
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      Future<Void> closeAsync = async == null ? Future.succeededFuture() : async.close().otherwiseEmpty();
      return closeAsync.compose(v -> channel == null ? Future.<Void>succeededFuture() : ctx.blocking("close", () -> {
        channel.close();
        return null;
      }));
    }
  }
}
