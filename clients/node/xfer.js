#!/usr/bin/env node
'use strict';
/*
 * xfer: drive an xfernode cluster through a node's TCP bridge (127.0.0.1:7000 unless --host/--port).
 *
 *   node xfer.js [--host H] [--port P] [--token T] [-q] COMMAND ...
 *
 * The commands are in cli.js: nodes, plan, submit, run, watch, send, recv, status, list, cancel, pools,
 * request. --token (or the XFER_TOKEN environment variable) is the node's auth token, where it has tokens.
 * Exit codes: 0 success (following a transfer: it is DONE), 1 the transfer ended FAILED or CANCELLED,
 * 2 the node refused the request (its code and message are printed on stderr), 3 no connection,
 * 130 interrupted.
 */
const { Bridge } = require('./xfernode-bridge');
const { main } = require('./cli');

main(process.argv.slice(2),
  ({ host, port = 7000, token, timeoutMs }) => Bridge.connect({ host, port, token, timeoutMs }),
  ({ host, port = 7000 }) => `${host}:${port}`)
  .then((code) => { process.exitCode = code; }, (e) => {
    console.error(`xfer: ${e.message}`);
    process.exitCode = 2;
  });
