package io.xfernode.node.config;

import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;

/**
 * A Vert.x Config store of type {@code xfer-classpath} that reads a resource from the class path
 * ({@code {"path": "xfernode/node-default.yaml"}}). Unlike the {@code file} store it never looks at the
 * working directory first, so a stray file there cannot replace the shipped defaults.
 */
public final class ClasspathConfigStoreFactory implements ConfigStoreFactory {

  public static final String TYPE = "xfer-classpath";

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public ConfigStore create(Vertx vertx, JsonObject configuration) {
    String path = configuration.getString("path");
    return new ConfigStore() {
      @Override
      public Future<Buffer> get() {
        return vertx.executeBlocking(() -> { // a class path read may open a jar: not on an event loop
          try (InputStream in = ClasspathConfigStoreFactory.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
              throw new IOException("resource not found on the class path: " + path);
            }
            return Buffer.buffer(in.readAllBytes());
          }
        }, false);
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }
}
