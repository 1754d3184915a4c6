package io.xfernode.pool;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xfernode.api.ErrorCode;
import io.xfernode.api.XferException;
import io.xfernode.pool.wire.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.function.Function;

/**
 * The opening of a pool connection (protocol version {@value Frame#VERSION}): each side proves it is the
 * cluster member it names, with an HMAC under the key that member published (SPEC 5).
 *
 * <pre>
 * connecting → HELLO   {version, pool, node C, nonce C}
 * accepting  → WELCOME {node A, nonce A, mac_A("welcome", pool, C, A, nonce C, nonce A)}   or REFUSE
 * connecting → PROOF   {mac_C("hello", pool, C, A, nonce A, nonce C)}                       or REFUSE
 * </pre>
 *
 * The connecting side checks that it reached the node it meant to. The accepting side counts a
 * connection against {@code maxPerPeer} only once its proof holds, so a process that merely claims to be
 * a node uses up nothing. Runs on its connection's context.
 */
final class Handshake {

  private static final Logger log = LoggerFactory.getLogger(Handshake.class);

  private enum Step { HELLO, WELCOME, PROOF, KEY, DONE, FAILED }

  private final String self;
  private final NodeKeys keys;
  /** The connecting side: the peer it means to reach; the accepting side: null. */
  private final String expected;
  /** The accepting side: null to take HELLO's pool, or why not (unknown pool, other version). */
  private final Function<Frame.Hello, String> poolCheck;
  private final Promise<Void> established = Promise.promise();
  private final byte[] nonce = new byte[Frame.NONCE_BYTES];
  private byte[] peerNonce;
  private String pool;
  private String peer;
  private Step step;

  private Handshake(String self, NodeKeys keys, String pool, String expected,
                    Function<Frame.Hello, String> poolCheck) {
    this.self = self;
    this.keys = keys;
    this.pool = pool;
    this.expected = expected;
    this.poolCheck = poolCheck;
    io.xfernode.api.Secrets.fill(nonce);
  }

  /** The connecting side of a connection to {@code peer}, for {@code pool}. */
  static Handshake connecting(String self, NodeKeys keys, String pool, String peer) {
    return new Handshake(self, keys, pool, peer, null);
  }

  /** The accepting side. */
  static Handshake accepting(String self, NodeKeys keys, Function<Frame.Hello, String> poolCheck) {
    return new Handshake(self, keys, null, null, poolCheck);
  }

  String pool() {
    return pool;
  }

  String peer() {
    return step == Step.DONE || expected == null ? peer : expected;
  }

  boolean isDone() {
    return step == Step.DONE;
  }

  /** Whether frames must wait: a peer's key is being looked up. */
  boolean waiting() {
    return step == Step.KEY;
  }

  Future<Void> established() {
    return established.future();
  }

  void begin(PoolConnection c) {
    if (expected != null) {
      c.send(new Frame.Hello(Frame.VERSION, pool, self, nonce));
      step = Step.WELCOME;
    } else {
      step = Step.HELLO;
    }
  }

  void onFrame(PoolConnection c, Frame frame) {
    if (frame instanceof Frame.Refuse refuse) {
      fail(c, "the peer refused the connection: " + refuse.reason(), false);
    } else if (step == Step.HELLO && frame instanceof Frame.Hello hello) {
      onHello(c, hello);
    } else if (step == Step.WELCOME && frame instanceof Frame.Welcome welcome) {
      onWelcome(c, welcome);
    } else if (step == Step.PROOF && frame instanceof Frame.Proof proof) {
      onProof(c, proof);
    } else {
      c.protocolError(frame.getClass().getSimpleName() + " during the handshake");
      lost(new XferException(ErrorCode.UNAVAILABLE, "pool " + pool + ": the handshake broke"));
    }
  }

  private void onHello(PoolConnection c, Frame.Hello hello) {
    String refusal = hello.version() != Frame.VERSION
      ? "protocol version " + hello.version() + " is not spoken here (only " + Frame.VERSION + ")"
      : poolCheck.apply(hello);
    if (refusal != null) {
      refuse(c, hello.node(), refusal);
      return;
    }
    pool = hello.pool();
    peer = hello.node();
    peerNonce = hello.nonce();
    byte[] mac = NodeKeys.mac(keys.own(), "welcome", pool, peer, self, peerNonce, nonce);
    c.send(new Frame.Welcome(self, nonce, mac));
    step = Step.PROOF;
  }

  private void onWelcome(PoolConnection c, Frame.Welcome welcome) {
    if (!expected.equals(welcome.node())) {
      refuse(c, welcome.node(), "this side meant to reach node " + expected + ", not " + welcome.node());
      return;
    }
    peer = welcome.node();
    peerNonce = welcome.nonce();
    step = Step.KEY;
    c.pause();
    keys.of(peer).onComplete(ar -> c.context().runOnContext(v -> {
      c.resume();
      if (step != Step.KEY) {
        return;
      }
      byte[] want = ar.succeeded() ? NodeKeys.mac(ar.result(), "welcome", pool, self, peer, nonce, peerNonce) : null;
      if (want == null || !MessageDigest.isEqual(want, welcome.mac())) {
        refuse(c, peer, "the data port did not prove it is node " + peer);
        return;
      }
      c.send(new Frame.Proof(NodeKeys.mac(keys.own(), "hello", pool, self, peer, peerNonce, nonce)));
      done(c);
    }));
  }

  private void onProof(PoolConnection c, Frame.Proof proof) {
    step = Step.KEY;
    c.pause();
    keys.of(peer).onComplete(ar -> c.context().runOnContext(v -> {
      c.resume();
      if (step != Step.KEY) {
        return;
      }
      byte[] want = ar.succeeded() ? NodeKeys.mac(ar.result(), "hello", pool, peer, self, nonce, peerNonce) : null;
      if (want == null || !MessageDigest.isEqual(want, proof.mac())) {
        log.warn("data port: refused a connection from {} that claims to be node {}: {}", c.remoteAddress(), peer,
          ar.succeeded() ? "its proof does not match" : "no such node");
        refuse(c, peer, "no proof that this is node " + peer);
        return;
      }
      done(c);
    }));
  }

  private void done(PoolConnection c) {
    step = Step.DONE;
    if (expected == null) {
      String refusal = c.owner().admit(c);
      if (refusal != null) {
        log.info("data port: refused a connection from {} ({}): {}", c.remoteAddress(), peer, refusal);
        refuse(c, peer, refusal);
        return;
      }
    }
    established.tryComplete();
    c.drainHeld();
  }

  private void refuse(PoolConnection c, String who, String reason) {
    c.send(new Frame.Refuse(reason));
    fail(c, reason, true);
  }

  private void fail(PoolConnection c, String reason, boolean ours) {
    step = Step.FAILED;
    established.tryFail(new XferException(ours ? ErrorCode.FORBIDDEN : ErrorCode.UNAVAILABLE, "pool " + pool + ": "
      + reason));
    c.close(reason);
  }

  /** The connection is gone: a handshake still under way fails. */
  void lost(XferException e) {
    if (step != Step.DONE) {
      step = Step.FAILED;
    }
    established.tryFail(e);
  }
}
