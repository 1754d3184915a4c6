package io.xfernode.file;

import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The configured roots of a node, and the only way file elements turn a user's path into a file. A path's
 * first segment names a root ({@code data/incoming/big.bin}); nothing outside a root is ever touched, after
 * normalisation and symlink resolution (SPEC 5). Resolving touches the file system: call it off the event
 * loop.
 */
public final class Roots {

  private static final Pattern SEGMENT_SPLIT = Pattern.compile("/+");

  private final Map<String, Path> roots;

  public Roots(Map<String, Path> roots) {
    this.roots = roots;
  }

  /**
   * Checks a path's form, without the file system: for spec parsing.
   *
   * @throws XferException 400 for an empty path or a NUL byte, 403 for an absolute path or a {@code ..}
   */
  public static void checkSyntax(String field, String path) {
    if (path.isEmpty() || path.indexOf('\0') >= 0) {
      throw XferException.badRequest(field, "must be a path such as data/dir/file.bin");
    }
    if (path.startsWith("/") || path.startsWith("\\") || path.matches("^[A-Za-z]:.*")) {
      throw XferException.forbidden(field, "absolute paths are not allowed: a path starts with a root name, "
        + "as in data/dir/file.bin");
    }
    for (String segment : SEGMENT_SPLIT.split(path)) {
      if (segment.equals("..")) {
        throw XferException.forbidden(field, "\"..\" is not allowed in " + JsonFields.describe(path));
      }
    }
  }

  /** @return the path of an existing file or directory; 403 if it escapes its root, 404 if it is missing */
  public Path existing(String field, String path) throws IOException {
    Resolved r = resolve(field, path);
    Path real;
    try {
      real = r.target.toRealPath();
    } catch (NoSuchFileException e) {
      if (Files.isSymbolicLink(r.target)) {
        Path pointsTo = r.target.resolveSibling(Files.readSymbolicLink(r.target)).normalize();
        if (!pointsTo.startsWith(r.root) && !pointsTo.startsWith(r.realRoot)) {
          throw XferException.forbidden(field, path + " is a symlink that points outside its root");
        }
      }
      throw XferException.notFound(field, "no such file or directory: " + path);
    }
    if (!real.startsWith(r.realRoot)) {
      throw XferException.forbidden(field, path + " resolves outside its root (a symlink escapes it)");
    }
    return real;
  }

  /**
   * @return where to write {@code path}: its parent directories exist (created inside the root if missing),
   * every existing component stays inside the root, and the file itself, if present, is not a symlink
   */
  public Path forWriting(String field, String path) throws IOException {
    Resolved r = resolve(field, path);
    if (r.target.equals(r.root)) {
      throw XferException.badRequest(field, "names a root itself; give a file inside it");
    }
    Path dir = r.realRoot;
    Path relative = r.root.relativize(r.target);
    for (int i = 0; i < relative.getNameCount() - 1; i++) {
      dir = dir.resolve(relative.getName(i));
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Path real = dir.toRealPath();
        if (!real.startsWith(r.realRoot)) {
          throw XferException.forbidden(field, path + " resolves outside its root (a symlink escapes it)");
        }
        if (!Files.isDirectory(real)) {
          throw XferException.conflict(field, dir.getFileName() + " in " + path + " is a file, not a directory");
        }
        dir = real;
      } else {
        Files.createDirectory(dir);
      }
    }
    Path target = dir.resolve(relative.getFileName());
    if (Files.isSymbolicLink(target)) {
      throw XferException.forbidden(field, path + " is a symlink; xfernode does not write through symlinks");
    }
    return target;
  }

  private record Resolved(Path root, Path realRoot, Path target) {
  }

  private Resolved resolve(String field, String path) throws IOException {
    checkSyntax(field, path);
    String[] segments = SEGMENT_SPLIT.split(path, 2);
    Path root = roots.get(segments[0]);
    if (root == null) {
      throw XferException.forbidden(field, "\"" + segments[0] + "\" is not a root of this node (roots: "
        + String.join(", ", new java.util.TreeSet<>(roots.keySet())) + ")");
    }
    Path target = segments.length < 2 || segments[1].isEmpty() ? root : root.resolve(segments[1]).normalize();
    if (!target.startsWith(root)) {
      throw XferException.forbidden(field, path + " leaves its root");
    }
    return new Resolved(root, root.toRealPath(), target);
  }
}
