package io.xfernode.node;

/** The version of this build, read from the jar's manifest when there is one. */
public final class Version {

  public static final String VERSION = version();

  private Version() {
  }

  private static String version() {
    String v = Version.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
