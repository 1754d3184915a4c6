// The xfernode dashboard. It follows the cluster's transfer events (GET /api/events, one server-sent event
// stream, read with fetch so that the token can go in the Authorization header) and re-reads the transfer
// lists when a transfer changes state; it polls the running transfers' progress every 2 s while there are
// any, and nodes and pools every 5 s. While the stream is down, it polls the lists every 5 s and reconnects
// with a growing delay. Everything that came from the node (ids, paths, error messages) goes into the page
// as text, never as HTML.
'use strict';

(function () {
  const NODES_POLL_MS = 5000;
  const RUNNING_POLL_MS = 2000;
  const FALLBACK_POLL_MS = 5000;
  /** After a transfer changed state short of its end: the status store may trail the event, so poll a while. */
  const BUSY_MS = 10000;
  /** A running transfer gone from the list: the lists once more, later, in case its events went astray. */
  const RECHECK_MS = 15000;
  /** The node writes a comment every 15 s; a stream silent for longer is dead. */
  const STREAM_IDLE_MS = 45000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  /** A stream that stayed up this long was fine: the next reconnect starts from the shortest delay. */
  const STREAM_STABLE_MS = 30000;
  /** The longest event (or unfinished line) the page holds; a stream that sends more is dropped (sse.js). */
  const MAX_EVENT_CHARS = 1 << 20;
  const REQUEST_TIMEOUT_MS = 10000;
  const RUNNING_LIMIT = 50;
  const RECENT_LIMIT = 40;
  const FINISHED_SHOWN = 12;
  const TOKEN_KEY = 'xfernode.token';
  const FINAL = ['DONE', 'FAILED', 'CANCELLED'];
  const RUNNING_PATH = '/api/transfers?state=RUNNING&limit=' + RUNNING_LIMIT;
  const RECENT_PATH = '/api/transfers?limit=' + RECENT_LIMIT;

  const $ = (selector) => document.querySelector(selector);

  // --- talking to the node ---------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  /** The token goes in the Authorization header, never in the URL. */
  function headersFor(accept) {
    const headers = { Accept: accept };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
    return headers;
  }

  /** What a refused call said: the node's message, or the HTTP status. */
  async function refusal(response) {
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    return new ApiError(response.status, (json && json.message) || 'HTTP ' + response.status);
  }

  /** One API call. */
  async function api(method, path, body) {
    const headers = headersFor('application/json');
    if (method !== 'GET') {
      // the node refuses a request that changes state without it (it keeps other pages out)
      headers['Content-Type'] = 'application/json';
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      let response;
      try {
        response = await fetch(path, {
          method, headers, cache: 'no-store', signal: abort.signal,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (e) {
        throw new ApiError(0, abort.signal.aborted ? 'the node did not answer within 10 s' : 'the node cannot be reached');
      }
      if (!response.ok) {
        throw await refusal(response);
      }
      const text = await response.text();
      return text ? JSON.parse(text) : null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What to tell the user about a failed call. */
  function explain(error) {
    if (error.status === 401) {
      return token()
        ? 'Token unknown: this node does not accept the token given above.'
        : 'Token required: this node has tokens configured; enter one above.';
    }
    if (error.status === 403) {
      return 'Not allowed: ' + error.message;
    }
    return error.status ? error.status + ': ' + error.message : 'No answer: ' + error.message;
  }

  // --- building the page -----------------------------------------------------------------------------------

  /** An element with attributes; children are nodes or strings, and strings always become text. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  function bytes(n) {
    if (typeof n !== 'number' || n < 0) {
      return '?';
    }
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  }

  function rate(bps) {
    return typeof bps === 'number' && bps > 0 ? bytes(bps) + '/s' : '–';
  }

  function duration(seconds) {
    if (!isFinite(seconds) || seconds < 0) {
      return '–';
    }
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + (s % 60) + 's';
  }

  function time(iso) {
    const d = iso ? new Date(iso) : null;
    return d && !isNaN(d) ? d.toLocaleTimeString() : '–';
  }

  /** "file on n0 → null on n1", from the plan's elements. */
  function route(plan) {
    const ends = ((plan && plan.elements) || []).filter((e) => e.kind === 'element');
    return ends.map((e) => e.type + ' on ' + e.node).join(' → ') || '–';
  }

  function show(section, rows) {
    $(section + ' tbody').replaceChildren(...rows);
    const empty = $(section + ' .empty');
    if (empty) {
      empty.hidden = rows.length > 0;
    }
  }

  // --- the sections ----------------------------------------------------------------------------------------

  function drawNodes(reply) {
    const nodes = (reply.nodes || []).slice().sort((a, b) => String(a.id).localeCompare(String(b.id)));
    show('#nodes', nodes.map((n) => el('tr', { class: 'node' },
      el('td', { class: 'node-id mono' }, n.id),
      el('td', {}, n.host),
      el('td', {}, n.http ? n.http.port : '–'),
      el('td', {}, Object.keys(n.roots || {}).join(', ')),
      el('td', {}, (n.pools || []).join(', ')),
      el('td', {}, n.transfers),
      el('td', { class: 'muted' }, n.version))));
  }

  function drawPools(reply) {
    show('#pools', (reply.pools || []).map((p) => {
      const open = [];
      for (const [node, peers] of Object.entries(p.connections || {})) {
        for (const [peer, c] of Object.entries(peers || {})) {
          open.push(node + ' → ' + peer + ': ' + c.connections + ' connection' + (c.connections === 1 ? '' : 's')
            + (c.channels ? ', ' + c.channels + ' in use' : ''));
        }
      }
      return el('tr', { class: 'pool' },
        el('td', { class: 'mono' }, p.name),
        el('td', {}, p.minPerPeer + '–' + p.maxPerPeer),
        el('td', {}, bytes(p.window)),
        el('td', {}, p.tls ? 'yes' : 'no'),
        el('td', { class: 'connections' }, open.length ? open.join('; ') : 'none open'));
    }));
    const note = $('#pools .note');
    const unreachable = reply.unreachable || [];
    note.hidden = unreachable.length === 0;
    note.textContent = unreachable.length ? 'No counts from: ' + unreachable.join(', ') : '';
  }

  /** Running rows are kept by id and updated in place, so an open plan or a pressed button survives a refresh. */
  const runningRows = new Map();

  function runningRow(t) {
    const bar = el('progress', { max: '1' });
    const numbers = el('div', { class: 'numbers muted' });
    const cancel = el('button', { type: 'button' }, 'Cancel');
    const refused = el('div', { class: 'error' });
    cancel.addEventListener('click', () => cancelTransfer(t.id, cancel, refused));
    const plan = el('details', {}, el('summary', {}, 'plan'),
      el('ol', {}, ...(((t.plan && t.plan.explain) || []).map((line) => el('li', {}, line)))));
    const row = {
      tr: el('tr', { class: 'transfer' },
        el('td', {}, el('div', { class: 'transfer-id mono' }, t.id),
          t.submittedBy ? el('div', { class: 'muted' }, 'by ' + t.submittedBy) : null),
        el('td', {}, el('div', {}, route(t.plan)), plan),
        el('td', {}, bar, numbers),
        el('td', { class: 'rate' }),
        el('td', { class: 'eta' }),
        el('td', {}, cancel, refused)),
      bar, numbers,
    };
    runningRows.set(t.id, row);
    return row;
  }

  function drawRunning(reply) {
    const transfers = reply.transfers || [];
    const seen = new Set();
    const rows = transfers.map((t) => {
      seen.add(t.id);
      const row = runningRows.get(t.id) || runningRow(t);
      const known = typeof t.total === 'number' && t.total > 0;
      if (known) {
        row.bar.value = Math.min(1, t.bytes / t.total);
      } else {
        row.bar.removeAttribute('value');
      }
      row.numbers.textContent = bytes(t.bytes) + (known ? ' of ' + bytes(t.total) + ' · '
        + (100 * t.bytes / t.total).toFixed(1) + ' %' : '');
      row.tr.querySelector('.rate').textContent = rate(t.rateBps);
      row.tr.querySelector('.eta').textContent = known && t.rateBps > 0
        ? duration((t.total - t.bytes) / t.rateBps) : '–';
      return row.tr;
    });
    for (const id of [...runningRows.keys()]) {
      if (!seen.has(id)) {
        runningRows.delete(id);
        recheckLater();
      }
    }
    show('#running', rows);
  }

  function drawFinished(reply) {
    const finished = (reply.transfers || []).filter((t) => FINAL.includes(t.state))
      .sort((a, b) => String(b.endedAt).localeCompare(String(a.endedAt)))
      .slice(0, FINISHED_SHOWN);
    show('#finished', finished.map((t) => {
      const from = Date.parse(t.runningAt || t.startedAt);
      const took = (Date.parse(t.endedAt) - from) / 1000;
      const error = t.error ? t.error.code + ' ' + (t.error.element ? t.error.element + ': ' : '') + t.error.message : '';
      return el('tr', { class: 'finished' },
        el('td', { class: 'transfer-id mono' }, t.id),
        el('td', { class: 'state-' + t.state }, t.state),
        el('td', {}, bytes(t.bytes)),
        el('td', {}, duration(took)),
        el('td', {}, time(t.endedAt)),
        el('td', { class: 'error' }, error));
    }));
  }

  // --- actions ---------------------------------------------------------------------------------------------

  async function cancelTransfer(id, button, refused) {
    button.disabled = true;
    button.textContent = 'Cancelling…';
    refused.textContent = '';
    try {
      await api('DELETE', '/api/transfers/' + encodeURIComponent(id));
    } catch (e) {
      refused.textContent = explain(e);
      button.disabled = false;
      button.textContent = 'Cancel';
    }
  }

  async function submitCopy(event) {
    event.preventDefault();
    const form = event.target;
    const field = (name) => form.elements.namedItem(name).value.trim();
    const spec = { source: field('source'), sink: field('sink') };
    if (field('id')) {
      spec.id = field('id');
    }
    if (field('checksum')) {
      spec.options = { checksum: field('checksum') };
    }
    const result = $('#copy-result');
    result.className = 'muted';
    result.textContent = 'Submitting…';
    try {
      const reply = await api('POST', '/api/transfers', spec);
      result.textContent = 'Submitted ' + reply.id + ' (' + reply.state + ').';
    } catch (e) {
      result.className = 'error';
      result.textContent = explain(e);
    }
  }

  // --- what failed ----------------------------------------------------------------------------------------

  /** What each kind of call last failed with; the alert shows the first of them. */
  const problems = new Map();

  function report(source, error) {
    if (error) {
      problems.set(source, explain(error));
    } else {
      problems.delete(source);
    }
    const first = problems.values().next();
    const box = $('#alert');
    box.hidden = first.done;
    box.textContent = first.done ? '' : first.value;
    if (!error) {
      $('#updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    }
  }

  // --- reading -------------------------------------------------------------------------------------------

  /** Work that runs one at a time: asked for while it runs, it runs once more after, however often it was asked. */
  function coalesced(work) {
    let running = false;
    let again = false;
    return async () => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          await work();
        } while (again);
      } finally {
        running = false;
      }
    };
  }

  /**
   * One kind of call, one at a time (so answers are drawn in the order asked, and a page has at most one
   * of each kind under way, besides its stream).
   */
  function reader(source, path, draw) {
    return coalesced(async () => {
      let reply;
      try {
        reply = await api('GET', path);
      } catch (e) {
        report(source, e);
        return;
      }
      draw(reply || {});
      report(source, null);
    });
  }

  const readNodes = reader('nodes', '/api/nodes', drawNodes);
  const readPools = reader('pools', '/api/pools', drawPools);
  const readRunning = reader('running', RUNNING_PATH, drawRunning);
  const readRecent = reader('recent', RECENT_PATH, drawFinished);

  const refreshLists = () => Promise.all([readRunning(), readRecent()]);

  let recheck = null;

  function recheckLater() {
    if (recheck === null) {
      recheck = setTimeout(() => {
        recheck = null;
        refreshLists();
      }, RECHECK_MS);
    }
  }

  /** Runs work now and then again ms after each run has finished, so that runs never pile up. */
  function every(ms, work) {
    const loop = async () => {
      try {
        await work();
      } catch (e) {
        report('page', new ApiError(0, 'the dashboard failed: ' + e.message));
      } finally {
        setTimeout(loop, ms);
      }
    };
    loop();
  }

  // --- following the cluster's events ----------------------------------------------------------------------

  let live = false;
  let busyUntil = 0;
  /** The AbortController of the stream being read; a new one replaces it when the token changes. */
  let stream = null;
  let reconnect = null;
  let backoff = BACKOFF_MIN_MS;

  function setLive(on, why, delay) {
    live = on;
    const note = $('#live');
    note.className = on ? 'live' : 'muted';
    note.textContent = on ? 'live' : 'not live (' + why + '); trying again in ' + Math.ceil(delay / 1000) + ' s';
  }

  /** A transfer changed state, failed or ended: the lists are read again, and its row says so at once. */
  function onEvent(type, text) {
    if (type !== 'state' && type !== 'error' && type !== 'done') {
      return;
    }
    let event;
    try {
      event = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (type === 'state' && !FINAL.includes(event.state)) {
      busyUntil = Date.now() + BUSY_MS;
    }
    const row = runningRows.get(event.id);
    if (row && type !== 'error' && FINAL.includes(event.state)) {
      row.numbers.textContent = event.state;
      row.tr.querySelector('button').disabled = true;
    }
    refreshLists();
  }

  /** Reads one event stream to its end; resolves with why it ended and when it opened (0: never). */
  async function readStream(abort) {
    let idle = null;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => abort.abort(), STREAM_IDLE_MS);
    };
    let openedAt = 0;
    let why;
    try {
      touch();
      const response = await fetch('/api/events', {
        headers: headersFor('text/event-stream'), cache: 'no-store', signal: abort.signal,
      });
      if (!response.ok) {
        why = await refusal(response);
      } else {
        const body = response.body.getReader();
        const decoder = new TextDecoder();
        const parse = sseParser(onEvent, MAX_EVENT_CHARS);
        for (;;) {
          const { value, done } = await body.read();
          if (done) {
            break;
          }
          touch();
          if (!openedAt && stream === abort) {
            // the node's first words come once it listens: read what may have changed before
            openedAt = Date.now();
            setLive(true);
            refreshLists();
          }
          parse(decoder.decode(value, { stream: true }));
        }
        why = new ApiError(0, 'the node ended the stream');
      }
    } catch (e) {
      // fetch fails with a TypeError when the node cannot be reached; the parser with a RangeError
      why = e instanceof ApiError ? e
        : new ApiError(0, abort.signal.aborted ? 'no word from the node within ' + STREAM_IDLE_MS / 1000 + ' s'
          : e instanceof TypeError ? 'the node cannot be reached' : e.message);
    } finally {
      clearTimeout(idle);
      abort.abort();
    }
    return { why, openedAt };
  }

  /** (Re)opens the stream now, dropping the one being read, if any. */
  async function follow() {
    clearTimeout(reconnect);
    if (stream) {
      stream.abort();
    }
    const abort = new AbortController();
    stream = abort;
    const { why, openedAt } = await readStream(abort);
    if (stream !== abort) {
      return;
    }
    if (openedAt && Date.now() - openedAt >= STREAM_STABLE_MS) {
      backoff = BACKOFF_MIN_MS;
    }
    const delay = backoff * (0.8 + 0.4 * Math.random());
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    setLive(false, why.status ? explain(why) : why.message, delay);
    reconnect = setTimeout(follow, delay);
  }

  // --- starting ----------------------------------------------------------------------------------------------

  /** A new token: everything again, with it. */
  function restart() {
    backoff = BACKOFF_MIN_MS;
    follow();
    readNodes();
    readPools();
    refreshLists();
  }

  function start() {
    $('#token').placeholder = token() ? '(set for this tab)' : 'none';
    $('#token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const value = $('#token').value.trim();
      if (value) {
        sessionStorage.setItem(TOKEN_KEY, value);
      } else {
        sessionStorage.removeItem(TOKEN_KEY);
      }
      $('#token').value = '';
      $('#token').placeholder = value ? '(set for this tab)' : 'none';
      restart();
    });
    $('#token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('#token').value = '';
      $('#token').placeholder = 'none';
      restart();
    });
    $('#copy-form').addEventListener('submit', submitCopy);
    follow();
    every(NODES_POLL_MS, () => Promise.all([readNodes(), readPools()]));
    // progress: while there is any to show, or a transfer just changed state, or no event says when
    every(RUNNING_POLL_MS, () => (!live || runningRows.size > 0 || Date.now() < busyUntil ? readRunning() : null));
    every(FALLBACK_POLL_MS, () => (live ? null : readRecent()));
  }

  start();
}());
