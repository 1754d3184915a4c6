#!/usr/bin/env node
'use strict';
/*
 * xfer over the node's SockJS event-bus bridge, built on the stock @vertx/eventbus-bridge-client.js
 * (npm ci in this directory first). Same commands and exit codes as ../node/xfer.js (see ../node/cli.js):
 * nodes, plan, submit, run, watch, send, recv, status, list, cancel, pools, request.
 *
 *   node xfer-sockjs.js [--host H] [--port HTTP_PORT] [--url http://host:port/eventbus] [--token T] COMMAND ...
 *
 * --port is the node's HTTP port (8080 unless configured otherwise); --token or XFER_TOKEN.
 */
const { SockJsBus } = require('./sockjs-bus');
const { main } = require('../node/cli');

const url = ({ host, port = 8080, url: given }) => given || `http://${host}:${port}/eventbus`;

main(process.argv.slice(2), (opts) => SockJsBus.connect({ ...opts, url: url(opts) }), url)
  .then((code) => { process.exitCode = code; }, (e) => {
    console.error(`xfer: ${e.message}`);
    process.exitCode = 2;
  });
