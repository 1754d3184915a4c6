'use strict';
/**
 * The node's SockJS event-bus bridge (http://host:port/eventbus) through the stock Vert.x client,
 * @vertx/eventbus-bridge-client.js, with the same methods as the TCP Bridge of ../node/xfernode-bridge.js,
 * so that ../node/cli.js and ../node/xfernode-stream.js work over it unchanged.
 *
 * The token goes in every frame's headers ({authorization: 'Bearer …'}), the stock client's `headers`
 * argument. The stock client leaves a request waiting forever when its socket closes; this one fails it.
 */
const EventBus = require('@vertx/eventbus-bridge-client.js');
const { BridgeError } = require('../node/xfernode-bridge');

class SockJsBus {
  constructor(eb, timeoutMs, token) {
    this.eb = eb;
    this.timeoutMs = timeoutMs;
    this.authorization = token ? `Bearer ${token}` : null;
    this.pending = new Set();    // {reject, timer} of requests waiting for a reply
    this.handlers = new Map();   // address -> the callback given to the stock client
    eb.onclose = () => this.failAll('the node closed the connection');
    // an err frame that names no address the client knows: the bridge answers in order, so it is the
    // oldest request's
    eb.onerror = (err) => this.failOldest(new BridgeError(err.failureCode, err.message || 'failed'));
  }

  /** Connects to `url` (http://host:port/eventbus); resolves once the socket is open. */
  static connect({ url, timeoutMs = 30000, token = null }) {
    return new Promise((resolve, reject) => {
      const eb = new EventBus(url);
      const timer = setTimeout(() => {
        eb.onclose = null;
        eb.close();
        reject(new Error(`no SockJS session within ${timeoutMs} ms`));
      }, timeoutMs);
      eb.onopen = () => {
        clearTimeout(timer);
        resolve(new SockJsBus(eb, timeoutMs, token));
      };
      eb.onclose = (e) => {
        clearTimeout(timer);
        reject(new Error((e && e.reason) || 'connection refused'));
      };
    });
  }

  headers() {
    return this.authorization ? { authorization: this.authorization } : {};
  }

  // -- the control API, as in the TCP Bridge -----------------------------------------------------

  submit(spec) { return this.request('xfer.submit', spec); }
  async plan(spec) { return (await this.request('xfer.plan', spec)).plan; }
  status(id) { return this.request('xfer.status', { id }); }
  async list({ state, limit } = {}) {
    const body = {};
    if (state !== undefined) body.state = state;
    if (limit !== undefined) body.limit = limit;
    return (await this.request('xfer.list', body)).transfers;
  }
  cancel(id, reason) { return this.request('xfer.cancel', reason === undefined ? { id } : { id, reason }); }
  async nodes() { return (await this.request('xfer.nodes', {})).nodes; }
  pools() { return this.request('xfer.pools', { op: 'list' }); }
  async definePool(pool) { return (await this.request('xfer.pools', { op: 'define', pool })).pool; }
  removePool(name) { return this.request('xfer.pools', { op: 'remove', name }); }

  // -- the event bus -----------------------------------------------------------------------------

  /** Sends `body` to `address`; resolves with the reply's body, rejects with a BridgeError. */
  request(address, body = {}) {
    return new Promise((resolve, reject) => {
      const waiting = { reject };
      waiting.timer = setTimeout(() => {
        this.pending.delete(waiting);
        reject(new BridgeError(504, `${address}: no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.add(waiting);
      try {
        this.eb.send(address, body, this.headers(), (err, message) => {
          if (!this.pending.delete(waiting)) return;
          clearTimeout(waiting.timer);
          if (err) reject(new BridgeError(err.failureCode, err.message || 'failed'));
          else resolve(message.body);
        });
      } catch (e) {
        this.pending.delete(waiting);
        clearTimeout(waiting.timer);
        reject(new BridgeError(503, `bridge connection lost: ${e.message}`));
      }
    });
  }

  /** Sends `body` to `address` and expects no reply. */
  post(address, body) {
    this.eb.send(address, body, this.headers());
  }

  /** Calls `callback(body)` for every message sent or published to `address`. */
  subscribe(address, callback) {
    const handler = (err, message) => {
      if (!err) callback(message.body);
    };
    this.handlers.set(address, handler);
    this.eb.registerHandler(address, this.headers(), handler);
  }

  unsubscribe(address) {
    const handler = this.handlers.get(address);
    this.handlers.delete(address);
    if (handler && this.eb.state === EventBus.OPEN) this.eb.unregisterHandler(address, this.headers(), handler);
  }

  close() {
    this.eb.onclose = null;
    if (this.eb.state === EventBus.OPEN) this.eb.close();
  }

  failOldest(error) {
    const oldest = this.pending.values().next().value;
    if (!oldest) return;
    this.pending.delete(oldest);
    clearTimeout(oldest.timer);
    oldest.reject(error);
  }

  failAll(reason) {
    for (const waiting of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new BridgeError(503, `bridge connection lost: ${reason}`));
    }
    this.pending.clear();
  }
}

module.exports = { SockJsBus };
