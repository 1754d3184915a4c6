package io.xfernode.test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made by the JDK's keytool in a temporary
 * directory: a PKCS12 key store to serve with, and the certificate as PEM to trust.
 */
public final class TestCerts {

  public static final String PASSWORD = "changeit";

  private final Path keyStore;
  private final Path certPem;

  private TestCerts(Path keyStore, Path certPem) {
    this.keyStore = keyStore;
    this.certPem = certPem;
  }

  public static TestCerts create() throws Exception {
    Path dir = Files.createTempDirectory("xfer-certs");
    Path ks = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
    run(List.of(keytool, "-genkeypair", "-alias", "xfer", "-keyalg", "EC", "-groupname", "secp256r1",
      "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
      "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    run(List.of(keytool, "-exportcert", "-rfc", "-alias", "xfer", "-keystore", ks.toString(),
      "-storepass", PASSWORD, "-file", pem.toString()));
    return new TestCerts(ks, pem);
  }

  private static void run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }

  /** The {@code tls} option of a listener that presents this certificate. */
  public JsonObject serverTls() {
    return new JsonObject().put("keyStore", new JsonObject().put("path", keyStore.toString())
      .put("password", PASSWORD).put("type", "PKCS12"));
  }

  /** The {@code tls} option of a client that trusts this certificate. */
  public JsonObject clientTls() {
    return new JsonObject().put("pemTrust", new JsonObject().put("certPaths", new JsonArray().add(certPem.toString())));
  }
}
