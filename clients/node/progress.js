'use strict';
/**
 * A transfer's progress on stderr, from its events. On a terminal: one line redrawn in place (state,
 * bytes, percent when the total is known, rate, ETA, elapsed time), then a summary line. Otherwise: a line
 * per state change, a progress line at most once a second, and the summary.
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function size(n) {
  let v = Number(n || 0);
  for (const unit of UNITS) {
    if (v < 1024 || unit === UNITS[UNITS.length - 1]) return unit === 'B' ? `${Math.floor(v)} B` : `${v.toFixed(1)} ${unit}`;
    v /= 1024;
  }
  return `${v}`;
}

function clock(seconds) {
  const s = Math.floor(seconds);
  const mmss = `${Math.floor(s / 60) % 60}:${String(s % 60).padStart(2, '0')}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, '0')}` : mmss;
}

class Progress {
  constructor(stream = process.stderr, { quiet = false, total = null } = {}) {
    this.stream = stream;
    this.quiet = quiet;
    this.tty = Boolean(stream.isTTY);
    this.total = total;
    this.started = Date.now();
    this.state = 'SUBMITTED';
    this.bytes = 0;
    this.rate = 0;
    this.lastPlain = 0;
    this.drawn = false;
  }

  event(event) {
    if (event.type === 'status') {
      this.state = event.status.state || this.state;
      this.bytes = event.status.bytes || this.bytes;
      if (event.status.total > 0) this.total = event.status.total;
      this.stateChanged();
    } else if (event.type === 'state') {
      this.state = event.state;
      this.stateChanged();
    } else if (event.type === 'progress') {
      this.bytes = event.bytes ?? this.bytes;
      this.rate = event.rateBps ?? this.rate;
      if (event.total > 0) this.total = event.total;
      if (this.tty) this.draw();
      else if (Date.now() - this.lastPlain >= 1000) {
        this.lastPlain = Date.now();
        this.println(`progress ${this.line()}`);
      }
    } else if (event.type === 'error') {
      this.println(`error ${(event.error && event.error.message) || JSON.stringify(event.error)}`);
    }
  }

  line() {
    const parts = [this.state, size(this.bytes)];
    if (this.total) {
      parts[1] += ` / ${size(this.total)}`;
      parts.push(`${String(Math.min(100, Math.floor((100 * this.bytes) / this.total))).padStart(3)}%`);
    }
    parts.push(`${size(this.rate)}/s`);
    if (this.total && this.rate && this.bytes < this.total) parts.push(`ETA ${clock((this.total - this.bytes) / this.rate)}`);
    parts.push(clock((Date.now() - this.started) / 1000));
    return parts.join('  ');
  }

  /** The summary: final state, bytes, time, average rate and checksum. */
  finish(status) {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const count = status.bytes ?? this.bytes;
    let text = `${status.state} ${size(count)} in ${seconds.toFixed(1)} s (${size(count / seconds)}/s)`;
    if (status.checksum) text += ` ${status.checksum.algorithm} ${status.checksum.value}`;
    if (status.error) text += `: ${status.error.message}`;
    this.println(text);
  }

  clear() {
    if (this.drawn) {
      this.stream.write('\r\x1b[K');
      this.drawn = false;
    }
  }

  stateChanged() {
    if (this.tty) this.draw();
    else this.println(`state ${this.state}`);
  }

  draw() {
    if (this.quiet) return;
    this.stream.write(`\r\x1b[K${this.line()}`);
    this.drawn = true;
  }

  println(text) {
    if (this.quiet) return;
    this.clear();
    this.stream.write(`${text}\n`);
  }
}

module.exports = { Progress, size, clock };
