'use strict';
/*
 * The xfer command, over any bus (the TCP bridge in xfer.js, SockJS in ../node-sockjs/xfer-sockjs.js).
 *
 *   nodes | plan SPEC | submit SPEC | run SPEC | watch ID | status ID | list [--state S] [--limit N]
 *   cancel ID [--reason R] | pools [list | define POOL | remove NAME] | request ADDRESS BODY
 *   send LOCAL_FILE DST [--window N] [--chunk-size N] [--checksum ALG] [--id ID]
 *   recv SRC LOCAL_FILE [--window N] [--chunk-size N] [--checksum ALG] [--id ID]
 *
 * SPEC and BODY are JSON text or @file; SRC and DST are spec elements as JSON or a URI; POOL is JSON.
 * Progress goes to stderr (a line redrawn on a terminal, plain lines otherwise; -q for none), the reply
 * or final status to stdout as JSON. Ctrl-C while following a transfer cancels it once (a second Ctrl-C
 * leaves it running) and exits 130.
 * Exit codes: 0 success (following: DONE), 1 FAILED or CANCELLED, 2 refused (code and message on
 * stderr), 3 no connection, 130 interrupted.
 */
const fs = require('fs');
const crypto = require('crypto');
const { BridgeError } = require('./xfernode-bridge');
const { sendFile, recvFile, watch, run, DEFAULT_WINDOW } = require('./xfernode-stream');
const { Progress } = require('./progress');

const FOLLOWING = ['run', 'watch', 'send', 'recv'];
const VALUED = ['--host', '--port', '--url', '--token', '--timeout', '--window', '--chunk-size', '--checksum',
  '--id', '--state', '--limit', '--reason'];

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', token: process.env.XFER_TOKEN || null, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (VALUED.includes(arg)) {
      if (i + 1 >= argv.length) throw new BridgeError(400, `${arg}: needs a value`);
      opts[arg.slice(2).replace(/-(.)/g, (m, c) => c.toUpperCase())] = argv[++i];
    } else if (arg === '-q' || arg === '--quiet') opts.quiet = true;
    else opts.rest.push(arg);
  }
  for (const n of ['port', 'timeout', 'window', 'chunkSize', 'limit']) {
    if (opts[n] !== undefined) opts[n] = Number(opts[n]);
  }
  return opts;
}

function json(text, what) {
  if (text === undefined) throw new BridgeError(400, `${what}: missing`);
  return JSON.parse(text.startsWith('@') ? fs.readFileSync(text.slice(1), 'utf8') : text);
}

function element(text, what) {
  if (text === undefined) throw new BridgeError(400, `${what}: missing`);
  return text.trimStart().startsWith('{') ? JSON.parse(text) : text;
}

async function execute(bus, command, args, opts, id, progress) {
  const onEvent = (e) => progress.event(e);
  const stream = { window: opts.window || DEFAULT_WINDOW, chunkSize: opts.chunkSize, id, onEvent,
    options: opts.checksum ? { checksum: opts.checksum } : undefined };
  switch (command) {
    case 'nodes': return bus.nodes();
    case 'plan': return bus.plan(json(args[0], 'SPEC'));
    case 'submit': return bus.submit(json(args[0], 'SPEC'));
    case 'run': return run(bus, { ...json(args[0], 'SPEC'), id }, onEvent);
    case 'watch': return watch(bus, id, onEvent);
    case 'send':
      progress.total = (await fs.promises.stat(args[0])).size;
      return sendFile(bus, args[0], element(args[1], 'DST'), stream);
    case 'recv': return recvFile(bus, element(args[0], 'SRC'), args[1], stream);
    case 'status': return bus.status(args[0]);
    case 'list': return bus.list({ state: opts.state, limit: opts.limit });
    case 'cancel': return bus.cancel(args[0], opts.reason || args[1]);
    case 'pools':
      if (!args[0] || args[0] === 'list') return bus.pools();
      if (args[0] === 'define') return bus.definePool(json(args[1], 'POOL'));
      if (args[0] === 'remove') return bus.removePool(args[1]);
      throw new BridgeError(400, `pools: unknown operation '${args[0]}'; one of list, define, remove`);
    case 'request': return bus.request(args[0], json(args[1], 'BODY'));
    default:
      throw new BridgeError(400, `unknown command '${command}'; one of nodes, plan, submit, run, watch, send, recv, `
        + 'status, list, cancel, pools, request');
  }
}

/** Ctrl-C: cancels the transfer once, then exits 130; a second Ctrl-C exits at once. */
function onInterrupt(bus, id, progress) {
  let interrupted = false;
  process.on('SIGINT', () => {
    progress.clear();
    if (interrupted) {
      console.error(`xfer: left ${id} running`);
      process.exit(130);
    }
    interrupted = true;
    console.error(`xfer: interrupted; cancelling ${id} (Ctrl-C again leaves it running)`);
    bus.cancel(id, 'interrupted by the client').then(
      (status) => console.error(`xfer: ${id} is ${status.state}`),
      (e) => console.error(`xfer: could not cancel ${id}: ${e.message}`),
    ).finally(() => process.exit(130));
  });
}

/**
 * @param connect (opts) => Promise<bus>; opts has host, port, url, token, timeoutMs
 * @param target  (opts) => what `connect` reaches, for the message when it cannot
 */
async function main(argv, connect, target) {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    console.error(`xfer: ${e.message}`);
    return 2;
  }
  const [command, ...args] = opts.rest;
  const following = FOLLOWING.includes(command);
  const id = following ? (opts.id || (command === 'watch' ? args[0] : null) || `js-${crypto.randomUUID()}`) : null;
  const progress = new Progress(process.stderr, { quiet: opts.quiet });
  let bus;
  try {
    bus = await connect({ host: opts.host, port: opts.port, url: opts.url, token: opts.token,
      timeoutMs: (opts.timeout || 30) * 1000 });
  } catch (e) {
    console.error(`xfer: cannot reach ${target(opts)}: ${e.message}`);
    return 3;
  }
  if (following) onInterrupt(bus, id, progress);
  try {
    const out = await execute(bus, command, args, opts, id, progress);
    if (following) progress.finish(out);
    console.log(JSON.stringify(out, null, 2));
    return following && out.state !== 'DONE' ? 1 : 0;
  } catch (e) {
    progress.clear();
    if (e instanceof BridgeError || e instanceof SyntaxError || e.code === 'ENOENT' || e.code === 'EACCES') {
      console.error(`xfer: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    bus.close();
  }
}

module.exports = { main };
