package io.xfernode.process;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;
import io.xfernode.element.NodeEnv;
import io.xfernode.link.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command run by a {@code process} source or filter: what both share. The command is an argument list
 * whose first item must be on the node's allow-list exactly as written, and it never goes through a shell.
 * It runs in the directory of the node's first root (by name), with an environment of {@code PATH},
 * {@code LANG} and the variables {@code process.env} names; an argument that is an absolute path or has a
 * {@code ..} segment (also after {@code --option=}) must resolve inside a root, and never into
 * {@code /proc}, {@code /sys} or {@code /dev}. A non-zero exit is the command's failure: 502.
 * Its stderr goes to a temporary file, so no thread is needed to drain it, and the end of that file is
 * quoted when the command fails. Cancel kills it and everything it started.
 */
public final class ChildProcess {

  /** The most items a {@code command} may have, the program included. */
  public static final int MAX_ITEMS = 64;
  /** The longest item of a {@code command}, in characters. */
  public static final int MAX_ITEM_CHARS = 4096;
  /** How much of stderr a failure quotes, in characters. */
  static final int STDERR_TAIL_CHARS = 500;
  private static final long EXIT_WAIT_SECONDS = 10;
  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  /** What a command's environment keeps of the node's, besides {@code process.env}. */
  static final List<String> BASE_ENV = List.of("PATH", "LANG");
  private static final List<Path> NEVER = List.of(Path.of("/proc"), Path.of("/sys"), Path.of("/dev"));

  private final String name;
  private final String program;
  private final Process process;
  private final Path stderr;
  private byte[] scratch;

  private ChildProcess(String name, String program, Process process, Path stderr) {
    this.name = name;
    this.program = program;
    this.process = process;
    this.stderr = stderr;
  }

  /** Parses and checks the {@code command} option: 1 to 64 strings, none holding NUL. */
  public static List<String> parseCommand(JsonFields f) {
    String field = f.field("command");
    if (!f.has("command")) {
      throw XferException.badRequest(field, "is required");
    }
    List<String> command = f.strings("command", MAX_ITEMS);
    if (command.isEmpty()) {
      throw XferException.badRequest(field, "must name a command, such as [\"cat\"]");
    }
    if (command.get(0).isEmpty()) {
      throw XferException.badRequest(field + "[0]", "must not be empty");
    }
    for (int i = 0; i < command.size(); i++) {
      String item = command.get(i);
      if (item.indexOf('\0') >= 0) {
        throw XferException.badRequest(field + "[" + i + "]", "must not contain NUL");
      }
      if (item.length() > MAX_ITEM_CHARS) {
        throw XferException.badRequest(field + "[" + i + "]", "must be at most " + MAX_ITEM_CHARS
          + " characters, got " + item.length());
      }
    }
    return List.copyOf(command);
  }

  /** @throws XferException 403 naming {@code field} unless {@code command[0]} is allow-listed on this node */
  public static void checkAllowed(List<String> command, NodeEnv env, String field) {
    env.processAllow().check(command, field);
  }

  /**
   * What a process element does at setup: checks the allow-list, then starts {@code command} on a thread of
   * the element's own. A process started while the element was being cancelled is killed at once, as
   * cancel saw nothing to kill.
   */
  public static Future<ChildProcess> launch(io.xfernode.element.ElementContext ctx, List<String> command,
                                            boolean keepStdin) {
    try {
      checkAllowed(command, ctx.env(), ctx.name() + ".command");
    } catch (XferException e) {
      return Future.failedFuture(e);
    }
    return ctx.blocking("start", () -> {
      Path dir = checkArguments(command, ctx.env(), ctx.name() + ".command");
      ChildProcess process = start(command, ctx.name(), keepStdin, dir, ctx.env().processEnv());
      if (ctx.cancelled()) {
        process.destroy();
      }
      return process;
    });
  }

  /**
   * Checks that every argument naming a path by itself (absolute, or with a {@code ..} segment) resolves
   * inside a root of the node, following symbolic links; blocking (it reads the file system).
   *
   * @return the directory the command runs in: the node's first root, by name
   * @throws XferException 403 naming {@code field[i]}
   */
  static Path checkArguments(List<String> command, NodeEnv env, String field) throws IOException {
    List<Path> roots = new java.util.ArrayList<>();
    for (Path root : new java.util.TreeMap<>(env.roots()).values()) {
      roots.add(root.toRealPath());
    }
    if (roots.isEmpty()) {
      throw XferException.forbidden(field, "this node has no root for a command to run in");
    }
    Path dir = roots.get(0);
    for (int i = 1; i < command.size(); i++) {
      String arg = command.get(i);
      String value = arg.startsWith("-") && arg.indexOf('=') > 0 ? arg.substring(arg.indexOf('=') + 1) : arg;
      if (!value.startsWith("/") && !Arrays.asList(value.split("/")).contains("..")) {
        continue;
      }
      Path p = real(dir.resolve(value).normalize());
      String item = field + "[" + i + "]";
      if (NEVER.stream().anyMatch(p::startsWith)) {
        throw XferException.forbidden(item, JsonFields.describe(arg) + ": /proc, /sys and /dev are never allowed");
      }
      if (roots.stream().noneMatch(p::startsWith)) {
        throw XferException.forbidden(item, JsonFields.describe(arg) + " resolves outside the node's roots");
      }
    }
    return dir;
  }

  /** {@code p} with its symbolic links resolved, as far as it exists. */
  private static Path real(Path p) throws IOException {
    Path existing = p;
    while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return p;
    }
    return existing.toRealPath().resolve(existing.relativize(p));
  }

  /**
   * Starts {@code command}; blocking, so only on a thread of one's own.
   *
   * @param name       the element's name, for messages
   * @param keepStdin  whether the caller writes the process's stdin; otherwise it is closed at once
   * @param dir        the directory it runs in
   * @param envNames   what it keeps of the node's environment besides {@link #BASE_ENV}
   */
  public static ChildProcess start(List<String> command, String name, boolean keepStdin, Path dir,
                                   List<String> envNames) throws IOException {
    Path stderr = Files.createTempFile("xfer-stderr-", ".txt");
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile()).directory(dir.toFile());
      builder.environment().keySet().retainAll(new java.util.HashSet<>(
        java.util.stream.Stream.concat(BASE_ENV.stream(), envNames.stream()).toList()));
      process = builder.start();
    } catch (IOException e) {
      Files.deleteIfExists(stderr);
      throw new XferException(ErrorCode.INTERNAL, name + ".command: cannot run " + JsonFields.describe(command.get(0))
        + ": " + e.getMessage(), name);
    }
    if (!keepStdin) {
      process.getOutputStream().close();
    }
    log.debug("{}: started {} as pid {}", name, JsonFields.describe(command.get(0)), process.pid());
    return new ChildProcess(name, command.get(0), process, stderr);
  }

  /**
   * Reads what stdout has now, at least one byte, at most {@code max}; blocking.
   *
   * @return the bytes, or {@code null} at the end of stdout
   */
  public Buffer read(int max) throws IOException {
    InputStream out = process.getInputStream();
    byte[] buf = scratch != null && scratch.length == max ? scratch : new byte[max];
    int n = out.read(buf, 0, max);
    if (n < 0) {
      scratch = null;
      return null;
    }
    while (n < max && out.available() > 0) {
      int k = out.read(buf, n, max - n);
      if (k < 0) {
        break;
      }
      n += k;
    }
    if (n >= max / 2) {
      scratch = null;
      return Buffers.wrap(buf, n);
    }
    // a short read gets a buffer of its own size, so that queued buffers never pin big arrays
    scratch = buf;
    return Buffers.wrap(Arrays.copyOf(buf, n), n);
  }

  /** Writes {@code buffer} to stdin; blocking. */
  public void write(Buffer buffer) throws IOException {
    OutputStream in = process.getOutputStream();
    ByteBuffer bytes = Buffers.nio(buffer);
    if (bytes.hasArray()) {
      in.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
    } else {
      byte[] chunk = new byte[Math.min(bytes.remaining(), 64 * 1024)];
      while (bytes.hasRemaining()) {
        int n = Math.min(chunk.length, bytes.remaining());
        bytes.get(chunk, 0, n);
        in.write(chunk, 0, n);
      }
    }
    in.flush();
  }

  /** Closes stdin, so the command sees the end of its input. */
  public void closeStdin() throws IOException {
    process.getOutputStream().close();
  }

  /**
   * Waits for the command to exit, after the end of its stdout; blocking.
   *
   * @throws XferException naming the element, with the exit code and the end of stderr, unless it exited 0
   */
  public void checkExit() throws InterruptedException, IOException {
    int code = process.waitFor();
    if (code != 0) {
      String tail = stderrTail();
      throw new XferException(ErrorCode.BAD_GATEWAY, "the command " + JsonFields.describe(program)
        + " exited with code " + code
        + (tail.isEmpty() ? " and wrote nothing to stderr" : "; stderr ends with: " + tail), name);
    }
  }

  private String stderrTail() throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(stderr)) {
      // a few bytes per character at most in UTF-8
      long from = Math.max(0, ch.size() - 4L * STDERR_TAIL_CHARS);
      ByteBuffer bytes = ByteBuffer.allocate((int) (ch.size() - from));
      ch.position(from);
      while (bytes.hasRemaining() && ch.read(bytes) > 0) {
        // reads to the end
      }
      String text = new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").trim();
      return text.length() <= STDERR_TAIL_CHARS ? text : "…" + text.substring(text.length() - STDERR_TAIL_CHARS);
    }
  }

  /** Kills the command and every process it started, at once; never blocks. */
  public void destroy() {
    // the descendants first: once their parent is gone they are no longer its descendants
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /**
   * Makes sure the command is gone, closes its pipes and deletes its stderr file.
   *
   * @return completes on {@code context} once that is done; it never fails
   */
  public Future<Void> release(Vertx vertx, Context context) {
    if (process.isAlive()) {
      destroy();
    }
    Future<Void> exited = Future.fromCompletionStage(process.onExit()
      .orTimeout(EXIT_WAIT_SECONDS, TimeUnit.SECONDS), context).mapEmpty();
    return exited.recover(t -> {
      log.warn("{}: pid {} was still alive {} s after it was killed", name, process.pid(), EXIT_WAIT_SECONDS);
      return Future.succeededFuture();
    }).compose(v -> {
      closeQuietly(process.getInputStream());
      closeQuietly(process.getOutputStream());
      return vertx.fileSystem().delete(stderr.toString());
    }).recover(t -> {
      log.warn("{}: cannot delete {}: {}", name, stderr, t.toString());
      return Future.succeededFuture();
    });
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // a pipe to a process that is gone: nothing is lost
    }
  }
}
