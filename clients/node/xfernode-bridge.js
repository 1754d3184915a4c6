'use strict';
/**
 * A client of the xfernode TCP event-bus bridge for Node.js, with no dependencies.
 *
 * The bridge speaks frames of a 4-byte big-endian length followed by that many bytes of UTF-8 JSON
 * (the stock Vert.x TCP event-bus bridge). Requests go to the public addresses (xfer.submit,
 * xfer.plan, xfer.status, xfer.list, xfer.cancel, xfer.nodes, xfer.listeners); published events
 * (xfer.events.<id>, xfer.events) arrive through subscribe().
 *
 *   const { Bridge } = require('./xfernode-bridge');
 *   const bridge = await Bridge.connect({ port: 7000 });
 *   const final = await bridge.run({ source: 'random:?length=1048576&seed=7', sink: 'null:' });
 *   bridge.close();
 */
const net = require('net');
const crypto = require('crypto');

const FINAL_STATES = ['DONE', 'FAILED', 'CANCELLED'];
const MAX_FRAME = 64 * 1024 * 1024;

/** A failure the node answered with; `code` is the SPEC code (400, 403, 404, ...) when it has one. */
class BridgeError extends Error {
  constructor(code, message) {
    super(code ? `${code} ${message}` : message);
    this.code = code;
    this.reason = message;
  }
}

class Bridge {
  constructor(socket, timeoutMs, token) {
    this.socket = socket;
    this.timeoutMs = timeoutMs;
    this.authorization = token ? `Bearer ${token}` : null;
    this.pending = new Map();   // reply address -> {resolve, reject, timer}
    this.handlers = new Map();  // subscribed address -> callback(body)
    this.buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('close', () => this.failAll('the node closed the connection'));
    socket.on('error', (e) => this.failAll(e.message));
  }

  /** Connects to a node's bridge; resolves once connected. */
  static connect({ host = '127.0.0.1', port = 7000, timeoutMs = 30000, token = null } = {}) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      // small request frames go out at once, not after the peer's delayed ACK (Nagle)
      socket.setNoDelay(true);
      socket.once('connect', () => {
        socket.removeListener('error', reject);
        resolve(new Bridge(socket, timeoutMs, token));
      });
      socket.once('error', reject);
    });
  }

  // -- the control API ---------------------------------------------------------------------------

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
  listeners() { return this.request('xfer.listeners', {}); }
  /** Every pool, with its live connection counts: {pools: [...], unreachable: [...]}. */
  pools() { return this.request('xfer.pools', { op: 'list' }); }
  async definePool(pool) { return (await this.request('xfer.pools', { op: 'define', pool })).pool; }
  removePool(name) { return this.request('xfer.pools', { op: 'remove', name }); }

  /**
   * Submits `spec`, follows its events up to `done` (the last) and resolves with the final status.
   * The transfer gets an id when `spec` has none, so that its events are followed from the start.
   */
  async run(spec, onEvent) {
    const withId = { ...spec, id: spec.id || `js-${crypto.randomUUID()}` };
    const address = `xfer.events.${withId.id}`;
    let ended;
    const finished = new Promise((resolve) => { ended = resolve; });
    this.subscribe(address, (event) => {
      if (onEvent) onEvent(event);
      // done is every transfer's last event, after its final state
      if (event.type === 'done') ended();
    });
    try {
      await this.submit(withId);
      await finished;
      return await this.status(withId.id);
    } finally {
      this.unsubscribe(address);
    }
  }

  // -- the event bus -----------------------------------------------------------------------------

  /** Sends `body` to `address`; resolves with the reply's body, rejects with a BridgeError. */
  request(address, body = {}) {
    const replyAddress = `js-reply-${crypto.randomUUID()}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(replyAddress);
        reject(new BridgeError(504, `${address}: no reply within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(replyAddress, { resolve, reject, timer });
      this.send({ type: 'send', address, replyAddress, body });
    });
  }

  /** Sends `body` to `address` and expects no reply. */
  post(address, body) {
    this.send({ type: 'send', address, body });
  }

  /** Calls `callback(body)` for every message published to `address`. */
  subscribe(address, callback) {
    this.handlers.set(address, callback);
    this.send({ type: 'register', address });
  }

  unsubscribe(address) {
    this.handlers.delete(address);
    if (!this.socket.destroyed) this.send({ type: 'unregister', address });
  }

  close() {
    this.socket.end();
  }

  // -- frames ------------------------------------------------------------------------------------

  send(frame) {
    if (this.authorization && frame.type !== 'ping') {
      frame.headers = { ...(frame.headers || {}), authorization: this.authorization };
    }
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    const header = Buffer.alloc(4);
    header.writeUInt32BE(json.length, 0);
    this.socket.write(Buffer.concat([header, json]));
  }

  onData(chunk) {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (length > MAX_FRAME) {
        this.socket.destroy(new Error(`a frame of ${length} bytes is beyond this client's limit`));
        return;
      }
      if (this.buffered.length < 4 + length) return;
      const frame = JSON.parse(this.buffered.subarray(4, 4 + length).toString('utf8'));
      this.buffered = this.buffered.subarray(4 + length);
      this.dispatch(frame);
    }
  }

  dispatch(frame) {
    let waiting = this.pending.get(frame.address);
    if (!waiting && frame.type === 'err' && !this.handlers.has(frame.address) && this.pending.size > 0) {
      // an error that names no reply address (access_denied, a malformed frame): the bridge
      // answers in order, so it belongs to the oldest request still waiting
      frame = { ...frame, address: this.pending.keys().next().value };
      waiting = this.pending.get(frame.address);
    }
    if (waiting) {
      this.pending.delete(frame.address);
      clearTimeout(waiting.timer);
      if (frame.type === 'err') {
        waiting.reject(new BridgeError(frame.failureCode, frame.message || 'failed'));
      } else {
        waiting.resolve(frame.body);
      }
      return;
    }
    const handler = this.handlers.get(frame.address);
    if (handler) handler(frame.body);
  }

  failAll(reason) {
    for (const [, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(new BridgeError(503, `bridge connection lost: ${reason}`));
    }
    this.pending.clear();
  }
}

module.exports = { Bridge, BridgeError, FINAL_STATES };
