package io.xfernode.transport;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TCPSSLOptions;
import io.vertx.core.net.TrustOptions;
import io.xfernode.api.JsonFields;
import io.xfernode.api.XferException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * TLS settings, as written in config and in specs:
 * <pre>
 * {"keyStore": {"path", "password", "type": "PKCS12"|"JKS"},   or  "pemKeyCert": {"keyPath", "certPath"},
 *  "trustStore": {"path", "password", "type"},                 or  "pemTrust": {"certPaths": [...]},
 *  "trustAll": false, "clientAuth": "NONE"|"REQUEST"|"REQUIRED", "protocols": ["TLSv1.3", "TLSv1.2"],
 *  "verifyHost": true}
 * </pre>
 * A TLS config that cannot be applied fails; it never falls back to cleartext.
 */
public final class TlsConfig {

  private static final Set<String> KEYS = JsonFields.keys("keyStore", "pemKeyCert", "trustStore", "pemTrust",
    "trustAll", "clientAuth", "protocols", "verifyHost");
  private static final Set<String> STORE_KEYS = JsonFields.keys("path", "password", "type");

  private final KeyCertOptions keyCert;
  private final TrustOptions trust;
  private final boolean trustAll;
  private final ClientAuth clientAuth;
  private final Set<String> protocols;
  private final boolean verifyHost;
  private final JsonObject json;

  private TlsConfig(KeyCertOptions keyCert, TrustOptions trust, boolean trustAll, ClientAuth clientAuth,
                    Set<String> protocols, boolean verifyHost, JsonObject json) {
    this.keyCert = keyCert;
    this.trust = trust;
    this.trustAll = trustAll;
    this.clientAuth = clientAuth;
    this.protocols = protocols;
    this.verifyHost = verifyHost;
    this.json = json;
  }

  /**
   * @param path where the object sits, for messages ({@code bridge.tls}, {@code sink.tls})
   * @return the parsed config, or {@code null} when {@code json} is null (cleartext)
   */
  public static TlsConfig fromJson(String path, JsonObject json) {
    if (json == null) {
      return null;
    }
    JsonFields f = JsonFields.of(path, json, KEYS);
    if (f.has("keyStore") && f.has("pemKeyCert")) {
      throw XferException.badRequest(f.field("pemKeyCert"), "give either keyStore or pemKeyCert, not both");
    }
    if (f.has("trustStore") && f.has("pemTrust")) {
      throw XferException.badRequest(f.field("pemTrust"), "give either trustStore or pemTrust, not both");
    }
    KeyCertOptions keyCert = null;
    if (f.has("keyStore")) {
      keyCert = (KeyCertOptions) store(f.field("keyStore"), f.object("keyStore"));
    } else if (f.has("pemKeyCert")) {
      JsonFields pem = JsonFields.of(f.field("pemKeyCert"), f.object("pemKeyCert"), JsonFields.keys("keyPath", "certPath"));
      keyCert = new PemKeyCertOptions().setKeyPath(pem.string("keyPath")).setCertPath(pem.string("certPath"));
    }
    TrustOptions trust = null;
    if (f.has("trustStore")) {
      trust = (TrustOptions) store(f.field("trustStore"), f.object("trustStore"));
    } else if (f.has("pemTrust")) {
      JsonFields pem = JsonFields.of(f.field("pemTrust"), f.object("pemTrust"), JsonFields.keys("certPaths"));
      List<String> paths = pem.strings("certPaths", 64);
      if (paths.isEmpty()) {
        throw XferException.badRequest(pem.field("certPaths"), "must list at least one certificate file");
      }
      PemTrustOptions pt = new PemTrustOptions();
      paths.forEach(pt::addCertPath);
      trust = pt;
    }
    ClientAuth clientAuth = ClientAuth.valueOf(f.choice("clientAuth", "NONE", "NONE", "REQUEST", "REQUIRED"));
    Set<String> protocols = new LinkedHashSet<>();
    for (String p : f.strings("protocols", 8)) {
      if (!p.matches("TLSv1(\\.[0-3])?")) {
        throw XferException.badRequest(f.field("protocols"), "unknown protocol " + JsonFields.describe(p)
          + " (use TLSv1.2 or TLSv1.3)");
      }
      protocols.add(p);
    }
    return new TlsConfig(keyCert, trust, f.bool("trustAll", false), clientAuth, protocols,
      f.bool("verifyHost", true), json.copy());
  }

  private static Object store(String path, JsonObject json) {
    JsonFields f = JsonFields.of(path, json, STORE_KEYS);
    String type = f.choice("type", "PKCS12", "PKCS12", "JKS");
    String file = f.string("path");
    String password = f.string("password", null);
    if ("JKS".equals(type)) {
      return new JksOptions().setPath(file).setPassword(password);
    }
    return new PfxOptions().setPath(file).setPassword(password);
  }

  /** Applies these settings to a server's or a client's options, and turns TLS on. */
  public <T extends TCPSSLOptions> T applyTo(T options) {
    options.setSsl(true);
    if (keyCert != null) {
      options.setKeyCertOptions(keyCert.copy());
    }
    if (trust != null) {
      options.setTrustOptions(trust.copy());
    }
    if (!protocols.isEmpty()) {
      options.setEnabledSecureTransportProtocols(protocols);
    }
    if (options instanceof io.vertx.core.net.NetServerOptions) {
      ((io.vertx.core.net.NetServerOptions) options).setClientAuth(clientAuth);
    }
    if (options instanceof io.vertx.core.eventbus.EventBusOptions) {
      ((io.vertx.core.eventbus.EventBusOptions) options).setClientAuth(clientAuth).setTrustAll(trustAll);
    }
    if (options instanceof io.vertx.core.net.ClientOptionsBase) {
      ((io.vertx.core.net.ClientOptionsBase) options).setTrustAll(trustAll);
    }
    if (options instanceof io.vertx.core.net.NetClientOptions) {
      ((io.vertx.core.net.NetClientOptions) options).setHostnameVerificationAlgorithm(verifyHost && !trustAll ? "HTTPS" : "");
    }
    if (options instanceof io.vertx.core.http.HttpClientOptions) {
      ((io.vertx.core.http.HttpClientOptions) options).setVerifyHost(verifyHost && !trustAll);
    }
    return options;
  }

  /** @return whether a server using this config can present a certificate */
  public boolean hasKeyCert() {
    return keyCert != null;
  }

  public JsonObject toJson() {
    return json.copy();
  }
}
