// The xfernode dashboard: polls the node's HTTP API about once a second and draws what it answers.
// Everything that came from the node (ids, paths, error messages) goes into the page as text, never as HTML.
'use strict';

(function () {
  const REFRESH_MS = 1000;
  const REQUEST_TIMEOUT_MS = 10000;
  const RUNNING_LIMIT = 50;
  const RECENT_LIMIT = 40;
  const FINISHED_SHOWN = 12;
  const TOKEN_KEY = 'xfernode.token';
  const FINAL = ['DONE', 'FAILED', 'CANCELLED'];

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

  /** One API call: the token goes in the Authorization header, never in the URL. */
  async function api(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (token()) {
      headers.Authorization = 'Bearer ' + token();
    }
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
      const text = await response.text();
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch (e) {
        json = null;
      }
      if (!response.ok) {
        throw new ApiError(response.status, (json && json.message) || 'HTTP ' + response.status);
      }
      return json;
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

  function setAlert(message) {
    const box = $('#alert');
    box.hidden = !message;
    box.textContent = message || '';
  }

  // --- the refresh loop ------------------------------------------------------------------------------------

  const calls = [
    ['/api/nodes', drawNodes],
    ['/api/pools', drawPools],
    ['/api/transfers?state=RUNNING&limit=' + RUNNING_LIMIT, drawRunning],
    ['/api/transfers?limit=' + RECENT_LIMIT, drawFinished],
  ];

  /** One round of calls; the next is planned only when this one has finished, so rounds never pile up. */
  async function refresh() {
    try {
      const results = await Promise.allSettled(calls.map(([path]) => api('GET', path)));
      let failure = null;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          calls[i][1](r.value || {});
        } else if (!failure) {
          failure = r.reason;
        }
      });
      setAlert(failure ? explain(failure) : null);
      $('#updated').textContent = (failure ? 'failed at ' : 'updated ') + new Date().toLocaleTimeString();
    } catch (e) {
      setAlert('The dashboard failed: ' + e.message);
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
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
    });
    $('#token-forget').addEventListener('click', () => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('#token').value = '';
      $('#token').placeholder = 'none';
    });
    $('#copy-form').addEventListener('submit', submitCopy);
    refresh();
  }

  start();
}());
