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
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.xfernode.link.ClosableReadStream;
import io.xfernode.link.MappedWriteStream;

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
    private BasicFileAttributes seen;
    private long count;
    private FileChannel channel;
    private AsyncFile async;
    private io.vertx.core.streams.Pipe<io.vertx.core.buffer.Buffer> pipe;
    private ClosableReadStream<io.vertx.core.buffer.Buffer> guard;
    private final AtomicLong read = new AtomicLong();
    private String field;

    Single(Options o) {
      this.o = o;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      field = ctx.name() + ".path";
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
        seen = a;
        count = o.length() >= 0 ? o.length() : a.size() - o.offset();
        ctx.total(count);
        ctx.sourceIdentity("file:" + a.size() + ":" + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + ":"
          + a.fileKey() + ":" + o.offset() + ":" + count);
        if (ctx.outMechanism() == Mechanism.CHANNEL) {
          channel = FileChannel.open(file, StandardOpenOption.READ);
          ctx.offerReadable(new ChannelOffer(channel, o.offset(), count, this::checkUnchanged));
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
      Future<?> done = ctx.outMechanism() == Mechanism.CHANNEL
        ? ctx.channelDone()
        : (pipe = (guard = new ClosableReadStream<>(async)).pipe().endOnFailure(false))
          .to(MappedWriteStream.counting(ctx.outputStream(), n -> {
          read.addAndGet(n);
          ctx.progress(n);
        })).compose(v -> read.get() == count ? Future.succeededFuture() : ctx.blocking("check", () -> {
          checkUnchanged();
          throw changed("gave " + read.get() + " of the " + count + " bytes it had when the transfer started");
        }));
      // whatever happened, a file that changed under the transfer is the reason (409), not what it caused
      return done.transform(ar -> ctx.blocking("check", () -> {
        checkUnchanged();
        if (ar.failed()) {
          throw ar.cause() instanceof Exception e ? e : new XferException(ErrorCode.INTERNAL, ar.cause().toString());
        }
        return null;
      })).mapEmpty();
    }

    /**
     * Linux keeps reading a file that was deleted or replaced, and one that grew, shrank or was rewritten
     * gives bytes of no single version: only a look at the path tells. Blocking.
     */
    private void checkUnchanged() throws IOException {
      BasicFileAttributes now;
      try {
        now = Files.readAttributes(file, BasicFileAttributes.class);
      } catch (NoSuchFileException e) {
        throw changed("was removed");
      }
      if (!Objects.equals(now.fileKey(), seen.fileKey())) {
        throw changed("was replaced");
      }
      if (now.size() != seen.size()) {
        throw changed("went from " + seen.size() + " to " + now.size() + " bytes");
      }
      if (!now.lastModifiedTime().equals(seen.lastModifiedTime())) {
        throw changed("was modified (its modification time changed)");
      }
    }

    private XferException changed(String how) {
      return XferException.conflict(field, o.path() + " changed while it was read: it " + how);
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      // no read may land on a closed file handle once release closes it
      if (pipe != null) {
        pipe.close();
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      AsyncFile f = async;
      async = null;
      if (guard != null) {
        guard.close();
      } else if (f != null) {
        f.exceptionHandler(t -> { }); // a read still under way fails quietly when the file closes
      }
      Future<Void> closeAsync = f == null ? Future.succeededFuture() : f.close().otherwiseEmpty();
      return closeAsync.compose(v -> channel == null ? Future.<Void>succeededFuture() : ctx.blocking("close", () -> {
        channel.close();
        return null;
      }));
    }
  }
}
