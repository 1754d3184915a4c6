"""A transfer's progress on a terminal, from its events.

On a terminal: one line redrawn in place (state, bytes, percent when the total is known, rate, ETA,
elapsed time), then a summary line. Otherwise: a line per state change, a progress line at most once a
second, and the summary: plain text a log file or a pipe can keep.
"""

import threading
import time

UNITS = ("B", "KiB", "MiB", "GiB", "TiB")


def size(n):
    n = float(n or 0)
    for unit in UNITS:
        if n < 1024 or unit == UNITS[-1]:
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024


def clock(seconds):
    seconds = int(seconds)
    return "%d:%02d:%02d" % (seconds // 3600, seconds // 60 % 60, seconds % 60) if seconds >= 3600 \
        else "%d:%02d" % (seconds // 60, seconds % 60)


class Progress:
    def __init__(self, stream, quiet=False, total=None):
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self.total = total
        self.started = time.monotonic()
        self.state = "SUBMITTED"
        self.bytes = 0
        self.rate = 0
        self.last_plain = 0.0
        self.drawn = False
        self.lock = threading.Lock()

    def event(self, event):
        kind = event.get("type")
        with self.lock:
            if kind == "status":
                status = event["status"]
                self.state = status.get("state", self.state)
                self.bytes = status.get("bytes", self.bytes)
                self.total = status.get("total") if (status.get("total") or -1) > 0 else self.total
                self._state_changed()
            elif kind == "state":
                self.state = event.get("state")
                self._state_changed()
            elif kind == "progress":
                self.bytes = event.get("bytes", self.bytes)
                self.rate = event.get("rateBps", self.rate)
                if event.get("total", -1) > 0:
                    self.total = event["total"]
                self._progressed()
            elif kind == "error":
                self._line("error %s" % (event.get("error") or {}).get("message", event.get("error")))

    def line(self):
        elapsed = time.monotonic() - self.started
        parts = [self.state, size(self.bytes)]
        if self.total:
            parts[-1] += " / " + size(self.total)
            parts.append("%3d%%" % min(100, 100 * self.bytes // self.total))
        parts.append(size(self.rate) + "/s")
        if self.total and self.rate and self.bytes < self.total:
            parts.append("ETA " + clock((self.total - self.bytes) / self.rate))
        parts.append(clock(elapsed))
        return "  ".join(parts)

    def finish(self, status):
        """The summary: final state, bytes, time, average rate and checksum."""
        with self.lock:
            if self.quiet:
                return
            seconds = max(time.monotonic() - self.started, 1e-3)
            count = status.get("bytes", self.bytes) or 0
            text = "%s %s in %.1f s (%s/s)" % (status.get("state"), size(count), seconds, size(count / seconds))
            checksum = status.get("checksum")
            if checksum:
                text += " %s %s" % (checksum.get("algorithm"), checksum.get("value"))
            if status.get("error"):
                text += ": %s" % status["error"].get("message")
            self._line(text)

    def clear(self):
        with self.lock:
            if self.drawn:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self.drawn = False

    def _state_changed(self):
        if self.tty:
            self._draw()
        else:
            self._line("state %s" % self.state)

    def _progressed(self):
        if self.tty:
            self._draw()
        elif time.monotonic() - self.last_plain >= 1.0:
            self.last_plain = time.monotonic()
            self._line("progress " + self.line())

    def _draw(self):
        if not self.quiet:
            self.stream.write("\r\x1b[K" + self.line())
            self.stream.flush()
            self.drawn = True

    def _line(self, text):
        if self.quiet:
            return
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.drawn = False
        self.stream.write(text + "\n")
        self.stream.flush()
