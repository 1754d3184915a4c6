#!/usr/bin/env node
'use strict';
/*
 * xfer: drive an xfernode cluster through a node's TCP bridge.
 *
 *   node xfer.js [--host H] [--port P] [--token T] nodes
 *   node xfer.js plan   SPEC
 *   node xfer.js submit SPEC
 *   node xfer.js run    SPEC      # submit, print progress on stderr, print the final status
 *   node xfer.js status ID
 *   node xfer.js list
 *   node xfer.js cancel ID [REASON]
 *
 * --token (or the XFER_TOKEN environment variable) is the node's auth token, where it has tokens.
 * SPEC is a transfer spec as JSON text, or @file for a file holding one. Replies are printed as JSON.
 * Exit codes: 0 success (run: the transfer is DONE), 1 the transfer ended FAILED or CANCELLED,
 * 2 the node refused the request (its code and message are printed on stderr), 3 no connection.
 */
const fs = require('fs');
const { Bridge, BridgeError } = require('./xfernode-bridge');

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 7000, token: process.env.XFER_TOKEN || null, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--host') opts.host = argv[++i];
    else if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--token') opts.token = argv[++i];
    else opts.rest.push(argv[i]);
  }
  return opts;
}

function spec(text) {
  if (text === undefined) throw new Error('a SPEC argument is required');
  return JSON.parse(text.startsWith('@') ? fs.readFileSync(text.slice(1), 'utf8') : text);
}

function progress(event) {
  if (event.type === 'progress') console.error(`progress ${event.bytes} bytes`);
  else if (event.type === 'state') console.error(`state ${event.state}`);
  else if (event.type === 'error') console.error(`error ${JSON.stringify(event.error)}`);
}

async function main() {
  const { host, port, token, rest: [command, arg, extra] } = parseArgs(process.argv.slice(2));
  let bridge;
  try {
    bridge = await Bridge.connect({ host, port, token });
  } catch (e) {
    console.error(`xfer: cannot reach ${host}:${port}: ${e.message}`);
    return 3;
  }
  try {
    let out;
    switch (command) {
      case 'nodes': out = await bridge.nodes(); break;
      case 'plan': out = await bridge.plan(spec(arg)); break;
      case 'submit': out = await bridge.submit(spec(arg)); break;
      case 'run': out = await bridge.run(spec(arg), progress); break;
      case 'status': out = await bridge.status(arg); break;
      case 'list': out = await bridge.list(); break;
      case 'cancel': out = await bridge.cancel(arg, extra); break;
      default:
        console.error('usage: node xfer.js [--host H] [--port P] nodes|plan|submit|run|status|list|cancel ...');
        return 2;
    }
    console.log(JSON.stringify(out, null, 2));
    return command === 'run' && out.state !== 'DONE' ? 1 : 0;
  } catch (e) {
    if (e instanceof BridgeError) {
      console.error(`xfer: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    bridge.close();
  }
}

main().then((code) => { process.exitCode = code; }, (e) => {
  console.error(`xfer: ${e.message}`);
  process.exitCode = 2;
});
