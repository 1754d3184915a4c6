package io.xfernode.file;

import io.vertx.core.Future;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.JsonObject;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.filter.Digests;
import java.nio.ByteBuffer;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.Mechanism;
import io.xfernode.link.ChannelOffer;
import io.xfernode.link.MappedWriteStream;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What the file sink does for one transfer: open a temporary file (or directory) at setup, write it, and
 * rename it into place at commit; or, when appending, write in place and cut back to the original length
 * if the transfer does not succeed.
 */
public final class FileWriting extends Element {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FileWriting.class);

  private final String path;
  private final boolean overwrite;
  private final boolean append;
  private final boolean fsync;
  private final boolean tree;
  private final boolean resumeOption;
  private Path target;
  private Path temp;
  private Path markersFile;
  private Markers markers;
  private PartJournal journal;
  private long channelBytes = -1;
  private long originalSize = -1;
  private FileChannel channel;
  private AsyncFile async;
  private io.vertx.core.streams.Pipe<io.vertx.core.buffer.Buffer> pipe;
  private volatile boolean committed;

  /** @param resume the sink's own {@code resume} option; {@code options.resume} turns it on as well */
  public FileWriting(String path, boolean overwrite, boolean append, boolean fsync, boolean tree, boolean resume) {
    this.path = path;
    this.overwrite = overwrite;
    this.append = append;
    this.fsync = fsync;
    this.tree = tree;
    this.resumeOption = resume;
  }

  @Override
  public Future<Void> setup(ElementContext ctx) {
    String field = ctx.name() + ".path";
    return ctx.blocking("open", () -> {
      target = new Roots(ctx.env().roots()).forWriting(field, path);
      boolean exists = Files.exists(target);
      if (exists && !overwrite && !append) {
        throw XferException.conflict(field, path + " exists and overwrite is false");
      }
      if (exists && Files.isDirectory(target) != tree) {
        throw XferException.conflict(field, path + " exists and is " + (tree ? "not a directory" : "a directory"));
      }
      if (append) {
        channel = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.READ);
        originalSize = channel.size();
        channel.position(originalSize);
      } else {
        temp = target.resolveSibling("." + target.getFileName() + "." + ctx.transferId() + ".part");
        // restart markers need bytes written by offset: a file, not a tree, and a channel, not a stream
        boolean resume = (resumeOption || ctx.resume()) && !tree && ctx.inMechanism() == Mechanism.CHANNEL;
        journal = ctx.env().parts();
        if (resume) {
          markersFile = temp.resolveSibling(temp.getFileName() + ".markers");
          if (journal != null) {
            journal.add(temp, markersFile, ctx.transferId(), true);
          }
          channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.READ);
          markers = new Markers(markersFile, channel, temp);
          if (markers.loadedBytes() > 0) {
            ctx.info(new JsonObject().put("event", "resuming").put("path", path).put("held", markers.loadedBytes()));
          }
        } else {
          if (journal != null) {
            journal.add(temp, null, ctx.transferId(), false);
          }
          if (tree) {
            Files.createDirectory(temp);
          } else if (ctx.inMechanism() == Mechanism.CHANNEL) {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
              StandardOpenOption.READ);
          } else {
            Files.createFile(temp);
          }
        }
      }
      if (channel != null && ctx.inMechanism() == Mechanism.CHANNEL) {
        ctx.offerWritable(markers == null ? ChannelOffer.of(channel) : new ChannelOffer(channel, markers));
      }
      return null;
    }).compose(v -> ctx.inMechanism() == Mechanism.PUSH ? openAsync(ctx) : Future.succeededFuture());
  }

  private Future<Void> openAsync(ElementContext ctx) {
    Path file = append ? target : temp;
    if (channel != null) {
      try {
        channel.close(); // the stream opens its own handle
      } catch (IOException ignored) {
        // closing an unused channel
      }
      channel = null;
    }
    return ctx.vertx().fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setRead(false)
      .setCreate(false).setAppend(append)).onSuccess(f -> async = f).mapEmpty();
  }

  @Override
  public Future<Void> start(ElementContext ctx) {
    if (tree) {
      return ctx.thread("unpack", () -> TreeReader.unpack(ctx.inputPuller(), temp, ctx.name(), ctx)).mapEmpty();
    }
    if (ctx.inMechanism() == Mechanism.CHANNEL) {
      return ctx.channelDone().onSuccess(n -> channelBytes = n).mapEmpty();
    }
    pipe = ctx.inputStream().pipe().endOnSuccess(false).endOnFailure(false);
    return pipe.to(MappedWriteStream.counting(async, ctx::progress));
  }

  @Override
  public void cancel(ElementContext ctx, Throwable reason) {
    // nothing more may be written once release closes the file
    if (pipe != null && async != null) {
      pipe.close();
    }
  }

  @Override
  public Future<Void> commit(ElementContext ctx) {
    AsyncFile file = async;
    async = null;
    pipe = null; // it ended: a cancel after a failed commit has no pipe left to close
    Future<Void> flushed = file == null ? Future.succeededFuture()
      : (fsync ? file.flush() : Future.<Void>succeededFuture()).compose(v -> file.close());
    return flushed.compose(v -> ctx.blocking("commit", () -> {
      if (markers != null) {
        // a partial file written over may be longer than this transfer's bytes
        long length = markers.engaged() && markers.total() >= 0 ? markers.total() : channelBytes;
        if (length >= 0 && channel.size() > length) {
          channel.truncate(length);
        }
      }
      if (ctx.verifyChecksum() != null && !tree) {
        verify(ctx, ctx.verifyChecksum());
      }
      if (channel != null) {
        if (fsync) {
          channel.force(true);
        }
        channel.close();
      }
      if (!append) {
        rename(ctx);
        forgetPart();
      }
      committed = true;
      return null;
    }));
  }

  /**
   * Reads back what this sink wrote and compares its checksum with the bytes' that arrived (options.verify):
   * a file changed under the transfer, or a write that went wrong, fails it with 422 before the rename.
   */
  private void verify(ElementContext ctx, JsonObject expected) throws IOException {
    Path written = append ? target : temp;
    long from = append ? originalSize : 0;
    Digests.Digest d = Digests.create(expected.getString("algorithm"));
    try (FileChannel in = FileChannel.open(written, StandardOpenOption.READ)) {
      ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
      long at = from;
      while (true) {
        b.clear();
        int n = in.read(b, at);
        if (n < 0) {
          break;
        }
        b.flip();
        d.update(b);
        at += n;
      }
    }
    String value = d.hex();
    if (!value.equals(expected.getString("value"))) {
      throw new XferException(ErrorCode.CHECKSUM_MISMATCH, ctx.name() + ".path: the " + expected.getString("algorithm")
        + " of what was written to " + path + " is " + value + ", but of the bytes that arrived "
        + expected.getString("value") + " (options.verify)");
    }
  }

  private void rename(ElementContext ctx) throws IOException {
    if (Files.exists(target)) {
      if (!overwrite) {
        throw XferException.conflict(ctx.name() + ".path", path + " appeared during the transfer and overwrite is false");
      }
      if (tree) {
        Path old = target.resolveSibling("." + target.getFileName() + "." + ctx.transferId() + ".old");
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        return;
      }
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public Future<Void> release(ElementContext ctx) {
    AsyncFile file = async;
    async = null;
    if (file != null) {
      file.exceptionHandler(t -> { }); // a write still under way fails quietly when the file closes
    }
    Future<Void> closed = file == null ? Future.succeededFuture() : file.close().otherwiseEmpty();
    return closed.compose(v -> ctx.blocking("release", () -> {
      boolean keep = !committed && temp != null && keepsPart(ctx);
      if (channel != null && channel.isOpen()) {
        if (append && !committed && originalSize >= 0) {
          channel.truncate(originalSize);
        }
        channel.close();
      } else if (append && !committed && originalSize >= 0 && target != null && Files.exists(target)) {
        try (FileChannel c = FileChannel.open(target, StandardOpenOption.WRITE)) {
          c.truncate(originalSize);
        }
      }
      if (keep) {
        // what is on disk stays for a resubmit with the same id: its markers say which bytes
        ctx.info(new JsonObject().put("event", "kept").put("path", path).put("held", markers.durableBytes()));
      } else if (!committed && temp != null) {
        deleteTree(temp);
        forgetPart();
      }
      return null;
    }));
  }

  /**
   * A resumable transfer that ends without success keeps its partial file and markers, once the markers
   * record what reached the disk; and one whose markers no receiver used has nothing worth keeping.
   */
  private boolean keepsPart(ElementContext ctx) {
    if (markers == null || !markers.engaged()) {
      return false;
    }
    try {
      markers.flush();
    } catch (IOException e) {
      log.warn("{}: the restart markers of {} could not be saved ({}); they hold what the last save recorded",
        ctx.transferId(), temp, e.toString());
    }
    return true;
  }

  /** The partial file is gone (renamed or removed): so are its markers and its journal entry. */
  private void forgetPart() throws IOException {
    if (markersFile != null) {
      Files.deleteIfExists(markersFile);
      Files.deleteIfExists(markersFile.resolveSibling(markersFile.getFileName() + ".tmp"));
    }
    if (journal != null) {
      journal.remove(temp);
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(x);
      }
    }
  }
}
