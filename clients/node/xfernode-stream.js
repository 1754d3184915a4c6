'use strict';
/**
 * Streams a local file into a transfer, and a transfer into a local file, and follows a transfer, over any
 * bus that offers submit, status, request, post, subscribe and unsubscribe: the TCP Bridge of
 * xfernode-bridge.js, or the SockJS adapter in ../node-sockjs.
 *
 * Uploading goes through an `eventbus` source, downloading through an `eventbus` sink, each with its
 * credit protocol (docs/API.md, "eventbus source and sink"): the event bus has no backpressure, so the
 * source grants the client chunks, and the client grants the sink chunks. `window` bounds the chunks in
 * flight either way.
 *
 *   const status = await sendFile(bridge, 'big.bin', { type: 'file', path: 'data/big.bin' }, { window: 4 });
 */
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { BridgeError, FINAL_STATES } = require('./xfernode-bridge');

const DEFAULT_WINDOW = 16;

/** Uploads the file at `file` into `sink` (a spec element or URI); resolves with the final status. */
async function sendFile(bus, file, sink, { window = DEFAULT_WINDOW, chunkSize, options, onEvent, id } = {}) {
  const source = { type: 'eventbus' };
  if (chunkSize) source.chunkSize = chunkSize;
  const spec = makeSpec(id, 'js-send-', source, sink, options);
  const { size } = await fs.promises.stat(file); // before anything is submitted
  return follow(bus, spec, onEvent, (reply) => upload(bus, file, size, reply, window));
}

/**
 * Downloads what `source` (a spec element or URI) reads into `file`; resolves with the final status. The
 * bytes land in a hidden file next to it, renamed into place only when the transfer is DONE and every
 * announced byte arrived; otherwise it is removed.
 */
async function recvFile(bus, source, file, { window = DEFAULT_WINDOW, chunkSize, options, onEvent, id } = {}) {
  const mine = `xfer.client.js-${crypto.randomUUID()}`;
  const sink = { type: 'eventbus', address: mine };
  if (chunkSize) sink.chunkSize = chunkSize;
  const spec = makeSpec(id, 'js-recv-', source, sink, options);
  const part = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${spec.id}.part`);
  const inbox = new Inbox();
  let complete = false;
  bus.subscribe(mine, (message) => inbox.push(message));
  try {
    const status = await follow(bus, spec, (event) => {
      // ends the download if the sink never got to say end or abort
      if (event.type === 'done') inbox.push({ op: 'done' });
      if (onEvent) onEvent(event);
    }, async (reply) => {
      await download(bus, reply, inbox, part, window);
      complete = true;
    });
    if (status.state === 'DONE') {
      if (!complete) throw new BridgeError(null, `${file}: the transfer is DONE but its end never arrived`);
      await fs.promises.rename(part, file);
    }
    return status;
  } finally {
    bus.unsubscribe(mine);
    await fs.promises.rm(part, { force: true });
  }
}

/**
 * Follows a transfer submitted elsewhere up to its end; resolves with the final status. The subscription
 * goes out before the status is read, and a bridge answers a connection's frames in order, so no event
 * after that status is missed. `onEvent` gets that status first, as {type: 'status', status}.
 */
async function watch(bus, id, onEvent) {
  const address = `xfer.events.${id}`;
  let ended;
  const finished = new Promise((resolve) => { ended = resolve; });
  bus.subscribe(address, (event) => {
    if (onEvent) onEvent(event);
    if (event.type === 'done') ended();
  });
  try {
    const status = await bus.status(id);
    if (onEvent) onEvent({ type: 'status', status });
    if (FINAL_STATES.includes(status.state)) return status;
    await finished;
    return await bus.status(id);
  } finally {
    bus.unsubscribe(address);
  }
}

function makeSpec(id, prefix, source, sink, options) {
  const spec = { id: id || `${prefix}${crypto.randomUUID()}`, source, sink };
  if (options) spec.options = options;
  return spec;
}

/**
 * Submits `spec` with its events followed, runs `stream(submit reply)`, and resolves with the final
 * status. A stream that fails because the transfer did is no error here: the final status says why.
 */
async function follow(bus, spec, onEvent, stream) {
  const address = `xfer.events.${spec.id}`;
  let ended;
  const finished = new Promise((resolve) => { ended = resolve; });
  bus.subscribe(address, (event) => {
    if (onEvent) onEvent(event);
    if (event.type === 'done') ended();
  });
  try {
    const reply = await bus.submit(spec);
    try {
      await stream(reply);
    } catch (e) {
      if (!(e instanceof BridgeError)) throw e;
    }
    await finished;
    return await bus.status(spec.id);
  } finally {
    bus.unsubscribe(address);
  }
}

async function upload(bus, file, size, reply, window) {
  const address = reply.endpoints.source.address.address;
  const opened = await bus.request(address, { op: 'open' });
  const chunk = opened.chunkSize;
  let granted = opened.credits;
  const inFlight = [];
  const handle = await fs.promises.open(file, 'r');
  try {
    let seq = 0;
    for (let offset = 0; ;) {
      const buffer = Buffer.alloc(chunk);
      const { bytesRead } = await readOrAbort(bus, address, handle, buffer, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      while (granted === 0 || inFlight.length >= window) granted += (await inFlight.shift()).credits;
      const sent = bus.request(address, { op: 'data', seq: seq++, data: buffer.subarray(0, bytesRead).toString('base64') });
      sent.catch(() => {}); // awaited in turn below; a failure meanwhile is no unhandled rejection
      inFlight.push(sent);
      granted--;
    }
    while (inFlight.length > 0) await inFlight.shift();
  } finally {
    await handle.close();
  }
  const end = await bus.request(address, { op: 'end' });
  if (end.bytes !== size) throw new BridgeError(409, `${file}: the node took ${end.bytes} bytes of ${size}`);
}

async function readOrAbort(bus, address, handle, buffer, offset) {
  try {
    return await handle.read(buffer, 0, buffer.length, offset);
  } catch (e) {
    bus.post(address, { op: 'abort', reason: e.message });
    throw e;
  }
}

async function download(bus, reply, inbox, part, window) {
  const control = reply.endpoints.sink.address.address;
  await bus.request(control, { op: 'credit', n: window });
  let outstanding = window;
  let expected = 0;
  let written = 0;
  const handle = await fs.promises.open(part, 'w');
  try {
    for (;;) {
      const message = await inbox.next();
      if (message.op === 'data') {
        if (message.seq !== expected) throw new BridgeError(400, `seq: expected ${expected}, got ${message.seq}`);
        const data = Buffer.from(message.data, 'base64');
        await handle.write(data);
        written += data.length;
        expected++;
        outstanding--;
        if (outstanding <= Math.floor(window / 2)) {
          // one grant for half a window: fewer messages, and the sink never runs dry
          bus.post(control, { op: 'credit', n: window - outstanding });
          outstanding = window;
        }
      } else if (message.op === 'end') {
        if (message.bytes !== written) throw new BridgeError(409, `the sink sent ${message.bytes} bytes, ${written} arrived`);
        return;
      } else if (message.op === 'abort') {
        throw new BridgeError(null, `the transfer aborted: ${message.reason}`);
      } else if (message.op === 'done') {
        throw new BridgeError(null, 'the transfer ended before its last chunk');
      }
    }
  } finally {
    await handle.close();
  }
}

/** An unbounded queue whose next() waits; what it holds is bounded by the credits granted. */
class Inbox {
  constructor() {
    this.items = [];
    this.waiting = [];
  }

  push(item) {
    const waiter = this.waiting.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  next() {
    return this.items.length > 0 ? Promise.resolve(this.items.shift()) : new Promise((r) => this.waiting.push(r));
  }
}

/** Submits `spec` and follows it to its end; resolves with the final status. */
function run(bus, spec, onEvent) {
  return follow(bus, { ...spec, id: spec.id || `js-${crypto.randomUUID()}` }, onEvent, async () => {});
}

module.exports = { sendFile, recvFile, watch, run, DEFAULT_WINDOW };
