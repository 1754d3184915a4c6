package io.xfernode.file;

import io.xfernode.api.XferException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The stream a recursive file source sends and a tree-mode file sink unpacks: a directory tree in one
 * byte stream, so it can go through filters and across nodes like any other.
 *
 * <pre>
 * "XFA1"                                          magic and version
 * then entries:  'D' u16 pathLength path i64 mtimeMillis                   a directory
 *                'F' u16 pathLength path i64 mtimeMillis i64 size bytes    a file
 * then          'E'                                                         the end
 * </pre>
 * Paths are relative, '/'-separated UTF-8, at most {@value #MAX_PATH_BYTES} bytes; the reader refuses any
 * that could leave the destination.
 */
public final class TreeArchive {

  static final byte[] MAGIC = {'X', 'F', 'A', '1'};
  static final byte DIR = 'D';
  static final byte FILE = 'F';
  static final byte END = 'E';
  public static final int MAX_PATH_BYTES = 4096;

  private TreeArchive() {
  }

  /** The bytes of an entry's header. */
  static ByteBuffer header(byte type, String path, long mtime, long size) {
    byte[] p = path.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(1 + 2 + p.length + 8 + (type == FILE ? 8 : 0));
    b.put(type).putShort((short) p.length).put(p).putLong(mtime);
    if (type == FILE) {
      b.putLong(size);
    }
    return b.flip();
  }

  static int headerSize(byte type, String path) {
    return 1 + 2 + path.getBytes(StandardCharsets.UTF_8).length + 8 + (type == FILE ? 8 : 0);
  }

  /** One entry as the reader sees it. */
  record Header(byte type, String path, long mtime, long size) {
  }

  /** @return the next header, or {@code null} at the end marker */
  static Header readHeader(DataInputStream in, String field) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the directory stream ended without its end marker");
    }
    if (type == END) {
      return null;
    }
    if (type != DIR && type != FILE) {
      throw XferException.badRequest(field, "not a directory stream: unknown entry type " + type);
    }
    int length = in.readUnsignedShort();
    if (length == 0 || length > MAX_PATH_BYTES) {
      throw XferException.badRequest(field, "a directory stream entry has a path of " + length + " bytes");
    }
    byte[] p = new byte[length];
    in.readFully(p);
    String path = new String(p, StandardCharsets.UTF_8);
    checkPath(field, path);
    long mtime = in.readLong();
    long size = type == FILE ? in.readLong() : 0;
    if (size < 0) {
      throw XferException.badRequest(field, "a directory stream entry has a negative size: " + path);
    }
    return new Header((byte) type, path, mtime, size);
  }

  static void readMagic(DataInputStream in, String field) throws IOException {
    byte[] m = new byte[MAGIC.length];
    try {
      in.readFully(m);
    } catch (EOFException e) {
      throw XferException.badRequest(field, "the input is not a directory stream (too short)");
    }
    if (!java.util.Arrays.equals(m, MAGIC)) {
      throw XferException.badRequest(field, "the input is not a directory stream (tree: true needs the "
        + "output of a recursive file source)");
    }
  }

  /** Refuses a path that could leave the destination: absolute, with {@code ..}, empty segments, NUL or '\'. */
  static void checkPath(String field, String path) {
    if (path.startsWith("/") || path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
      throw XferException.badRequest(field, "a directory stream entry has an unsafe path: " + quote(path));
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw XferException.badRequest(field, "a directory stream entry has an unsafe path: " + quote(path));
      }
    }
  }

  /** @return {@code base.resolve(path)}, checked to stay inside {@code base} */
  static Path inside(Path base, String path, String field) {
    Path p = base.resolve(path).normalize();
    if (!p.startsWith(base) || p.equals(base)) {
      throw XferException.badRequest(field, "a directory stream entry leaves its destination: " + quote(path));
    }
    return p;
  }

  private static String quote(String s) {
    return "\"" + (s.length() > 80 ? s.substring(0, 80) + "…" : s).replaceAll("\\p{Cntrl}", "?") + "\"";
  }
}
