package io.xfernode.node.http;

import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One headless Chromium page driven over the DevTools protocol, on the JDK's own WebSocket client: enough
 * to type into a page's form and press its buttons, which {@code --dump-dom} cannot.
 */
final class DevTools implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final long ANSWER_SECONDS = 60;

  private final Process browser;
  private final Path profile;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private String session;
  private volatile CompletableFuture<Void> loaded;

  private DevTools(Process browser, Path profile, WebSocket socket) {
    this.browser = browser;
    this.profile = profile;
    this.socket = socket;
  }

  /** Starts {@code binary} headless with a fresh profile and opens {@code url} in a page. */
  static DevTools open(Path binary, String url) throws Exception {
    Path profile = Files.createTempDirectory("chromium-devtools");
    Process browser = new ProcessBuilder(binary.toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
      "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
      "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
      .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      String endpoint = endpoint(browser);
      Listener listener = new Listener();
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(endpoint), listener).get(ANSWER_SECONDS, TimeUnit.SECONDS);
      DevTools tools = new DevTools(browser, profile, socket);
      listener.tools = tools;
      String target = tools.call("Target.createTarget", new JsonObject().put("url", "about:blank")).getString("targetId");
      tools.session = tools.call("Target.attachToTarget", new JsonObject().put("targetId", target)
        .put("flatten", true)).getString("sessionId");
      // evaluate nothing before the page has loaded: the blank page's context goes away with it
      tools.call("Page.enable", new JsonObject());
      tools.loaded = new CompletableFuture<>();
      tools.call("Page.navigate", new JsonObject().put("url", url));
      tools.loaded.get(ANSWER_SECONDS, TimeUnit.SECONDS);
      return tools;
    } catch (Exception | Error e) {
      browser.destroyForcibly();
      throw e;
    }
  }

  /** The browser says where it listens on stderr, once it does. */
  private static String endpoint(Process browser) throws Exception {
    CompletableFuture<String> found = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(new InputStreamReader(browser.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line = err.readLine(); line != null; line = err.readLine()) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            found.complete(m.group(1));
          }
        }
        found.completeExceptionally(new IllegalStateException("chromium closed its stderr without a DevTools address"));
      } catch (IOException e) {
        found.completeExceptionally(e);
      }
    }, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
    return found.get(ANSWER_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Evaluates {@code expression} in the page, awaiting it when it is a promise.
   *
   * @return its value, as JSON
   */
  Object evaluate(String expression) throws Exception {
    JsonObject result = call("Runtime.evaluate", new JsonObject().put("expression", expression)
      .put("awaitPromise", true).put("returnByValue", true));
    if (result.containsKey("exceptionDetails")) {
      throw new AssertionError("the page threw: " + result.getJsonObject("exceptionDetails").encode());
    }
    return result.getJsonObject("result").getValue("value");
  }

  private JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    waiting.put(id, answer);
    JsonObject request = new JsonObject().put("id", id).put("method", method).put("params", params);
    if (session != null) {
      request.put("sessionId", session);
    }
    socket.sendText(request.encode(), true).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    JsonObject reply = answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
    if (reply.containsKey("error")) {
      throw new IllegalStateException(method + ": " + reply.getJsonObject("error").encode());
    }
    return reply.getJsonObject("result");
  }

  private void received(String text) {
    JsonObject message = new JsonObject(text);
    Integer id = message.getInteger("id");
    CompletableFuture<JsonObject> answer = id == null ? null : waiting.remove(id);
    if (answer != null) {
      answer.complete(message);
    } else if ("Page.loadEventFired".equals(message.getString("method")) && loaded != null) {
      loaded.complete(null);
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private volatile DevTools tools;

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        tools.received(text.toString());
        text.setLength(0);
      }
      w.request(1);
      return null;
    }
  }

  @Override
  public void close() {
    try {
      socket.sendText(new JsonObject().put("id", ids.incrementAndGet()).put("method", "Browser.close").encode(), true)
        .get(10, TimeUnit.SECONDS);
      if (!browser.waitFor(10, TimeUnit.SECONDS)) {
        browser.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      browser.destroyForcibly();
    } catch (Exception e) {
      browser.destroyForcibly();
    }
    Chromium.deleteTree(profile);
  }
}
