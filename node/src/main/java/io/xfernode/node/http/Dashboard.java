package io.xfernode.node.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The live dashboard at {@code GET /} (SPEC 2.7): a static page, its script and its style sheet, served from
 * {@code webroot/} on the class path, so the fat jar carries all of it and nothing is fetched from elsewhere.
 * The page calls the HTTP API itself, with the token its user gives, and holds to the node's
 * {@code Content-Security-Policy} ({@code default-src 'self'}): no inline script or style.
 */
final class Dashboard {

  /** Where the page's files are on the class path. */
  static final String WEBROOT = "webroot";

  private Dashboard() {
  }

  /** Mounts the page last, so that every other route of {@code router} comes first. */
  static void mount(Router router) {
    StaticHandler files = StaticHandler.create(WEBROOT)
      // never the synchronous file system on an event loop, however fast it seems
      .setAlwaysAsyncFS(true)
      // a node that was upgraded serves its new page at once, rather than what a browser kept for a day
      .setCachingEnabled(false)
      .setDirectoryListing(false)
      .setDefaultContentEncoding("UTF-8");
    router.route("/*").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files);
  }
}
