"""A client of the xfernode TCP event-bus bridge, with nothing but the Python standard library.

The bridge speaks frames of a 4-byte big-endian length followed by that many bytes of UTF-8 JSON
(the stock Vert.x TCP event-bus bridge). This module sends requests to the public addresses
(xfer.submit, xfer.plan, xfer.status, xfer.list, xfer.cancel, xfer.nodes, xfer.listeners) and
subscribes to the published events (xfer.events.<id>, xfer.events).

    with Bridge(port=7000) as bridge:
        print(bridge.nodes())
        final = bridge.run({"source": "random:?length=1048576&seed=7", "sink": "null:"})
        print(final["state"], final["bytes"])
"""

import json
import queue
import socket
import struct
import threading
import uuid

FINAL_STATES = ("DONE", "FAILED", "CANCELLED")
MAX_FRAME = 64 * 1024 * 1024


class BridgeError(Exception):
    """A failure the node answered with: `code` is the SPEC code (400, 403, 404, ...) when it has one."""

    def __init__(self, code, message):
        super().__init__("%s %s" % (code, message) if code else message)
        self.code = code
        self.message = message


class Reply:
    """A request in flight: result() waits for its reply."""

    def __init__(self, bridge, address, reply_address):
        self.bridge = bridge
        self.address = address
        self.reply_address = reply_address
        self.answer = queue.Queue(maxsize=1)

    def result(self, timeout=None):
        timeout = self.bridge.timeout if timeout is None else timeout
        try:
            frame = self.answer.get(timeout=timeout)
        except queue.Empty:
            raise BridgeError(504, "%s: no reply within %s s" % (self.address, timeout))
        finally:
            self.forget()
        if frame.get("type") == "err":
            raise BridgeError(frame.get("failureCode"), frame.get("message", "failed"))
        return frame.get("body")

    def forget(self):
        with self.bridge._lock:
            self.bridge._pending.pop(self.reply_address, None)
            if self.reply_address in self.bridge._order:
                self.bridge._order.remove(self.reply_address)


class Bridge:
    """One connection to a node's TCP bridge. Thread-safe; a reader thread dispatches what arrives."""

    def __init__(self, host="127.0.0.1", port=7000, timeout=30.0, token=None):
        """`token`: the node's auth token, sent as headers.authorization on every frame."""
        self.timeout = timeout
        self._authorization = None if token is None else "Bearer " + token
        self._sock = socket.create_connection((host, port), timeout=timeout)
        self._sock.settimeout(None)
        # small request frames go out at once: with Nagle, a frame sent while the previous one is unacked
        # waits for the peer's delayed ACK (40 ms on Linux)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._send_lock = threading.Lock()
        self._lock = threading.Lock()
        self._pending = {}          # reply address -> queue of one frame
        self._order = []            # reply addresses, oldest first, for errors that name none
        self._handlers = {}         # subscribed address -> callback(body)
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, name="xfernode-bridge-reader", daemon=True)
        self._reader.start()

    # -- the control API -------------------------------------------------------------------------

    def submit(self, spec):
        return self.request("xfer.submit", spec)

    def plan(self, spec):
        return self.request("xfer.plan", spec)["plan"]

    def status(self, transfer_id):
        return self.request("xfer.status", {"id": transfer_id})

    def list(self, state=None, limit=None):
        body = {}
        if state is not None:
            body["state"] = state
        if limit is not None:
            body["limit"] = limit
        return self.request("xfer.list", body)["transfers"]

    def cancel(self, transfer_id, reason=None):
        body = {"id": transfer_id}
        if reason is not None:
            body["reason"] = reason
        return self.request("xfer.cancel", body)

    def nodes(self):
        return self.request("xfer.nodes", {})["nodes"]

    def listeners(self):
        return self.request("xfer.listeners", {})

    def pools(self):
        """Every pool, with its live connection counts: {"pools": [...], "unreachable": [...]}."""
        return self.request("xfer.pools", {"op": "list"})

    def define_pool(self, pool):
        """Defines (or replaces) a pool, e.g. {"name": "bulk", "maxPerPeer": 8}; returns it with defaults."""
        return self.request("xfer.pools", {"op": "define", "pool": pool})["pool"]

    def remove_pool(self, name):
        return self.request("xfer.pools", {"op": "remove", "name": name})

    def watch(self, transfer_id, on_event=None, timeout=None):
        """Follows a transfer that was submitted elsewhere up to its end; returns the final status.

        The subscription goes out before the status is read, and the bridge answers a connection's frames
        in order, so an event after that status is never missed; one already final returns at once.
        `on_event` gets that status first, as {"type": "status", "status": {...}}, then every event.
        """
        events = queue.Queue()

        def deliver(event):
            if on_event is not None:
                on_event(event)
            events.put(event)

        address = "xfer.events." + transfer_id
        self.subscribe(address, deliver)
        try:
            status = self.status(transfer_id)
            if on_event is not None:
                on_event({"type": "status", "status": status})
            while status.get("state") not in FINAL_STATES:
                if events.get(timeout=timeout).get("type") == "done":
                    status = self.status(transfer_id)
            return status
        finally:
            self.unsubscribe(address)

    def run(self, spec, on_event=None, timeout=None):
        """Submits `spec`, follows its events up to `done` (the last) and returns the final status.

        The transfer gets an id when `spec` has none, so that its events can be followed from the
        start. `on_event` is called with every event (state, progress, info, error, done).
        """
        spec = dict(spec)
        spec.setdefault("id", "py-" + uuid.uuid4().hex)
        return self.follow(spec, on_event, timeout=timeout)

    def follow(self, spec, on_event=None, during=None, timeout=None):
        """Submits `spec` (which has an id) with its events followed from the start, calls `during(reply)`
        with the submit's reply, waits for `done` (the last event) and returns the final status.

        A BridgeError raised by `during` (a stream the transfer's failure broke) is no error here: the
        final status says what happened. A refused submit raises BridgeError.
        """
        events = queue.Queue()

        def deliver(event):
            if on_event is not None:
                on_event(event)
            events.put(event)

        address = "xfer.events." + spec["id"]
        self.subscribe(address, deliver)
        try:
            reply = self.submit(spec)
            if during is not None:
                try:
                    during(reply)
                except BridgeError:
                    pass
            while events.get(timeout=timeout).get("type") != "done":
                pass
            return self.status(spec["id"])
        finally:
            self.unsubscribe(address)

    # -- the event bus ---------------------------------------------------------------------------

    def request(self, address, body=None, timeout=None):
        """Sends `body` to `address` and waits for the reply's body; raises BridgeError on a failure."""
        return self.start_request(address, body).result(timeout)

    def start_request(self, address, body=None):
        """Sends `body` to `address` without waiting: several may be in flight (credit windows).

        Returns a Reply whose result(timeout) waits for the reply's body or raises BridgeError.
        """
        reply = Reply(self, address, "py-reply-" + uuid.uuid4().hex)
        with self._lock:
            self._pending[reply.reply_address] = reply.answer
            self._order.append(reply.reply_address)
        try:
            self._send({"type": "send", "address": address, "replyAddress": reply.reply_address,
                        "body": {} if body is None else body})
        except BaseException:
            reply.forget()
            raise
        return reply

    def post(self, address, body):
        """Sends `body` to `address` and expects no reply."""
        self._send({"type": "send", "address": address, "body": body})

    def subscribe(self, address, callback):
        """Calls `callback(body)` for every message published to `address` (on the reader thread)."""
        with self._lock:
            self._handlers[address] = callback
        self._send({"type": "register", "address": address})

    def unsubscribe(self, address):
        with self._lock:
            self._handlers.pop(address, None)
        if not self._closed:
            self._send({"type": "unregister", "address": address})

    def close(self):
        self._closed = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- frames ----------------------------------------------------------------------------------

    def _send(self, frame):
        if self._authorization is not None and frame.get("type") != "ping":
            frame.setdefault("headers", {})["authorization"] = self._authorization
        data = json.dumps(frame).encode("utf-8")
        with self._send_lock:
            self._sock.sendall(struct.pack(">I", len(data)) + data)

    def _read_exactly(self, n):
        chunks = []
        while n > 0:
            chunk = self._sock.recv(min(n, 1 << 20))
            if not chunk:
                raise EOFError("the node closed the connection")
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    def _read_loop(self):
        try:
            while True:
                (length,) = struct.unpack(">I", self._read_exactly(4))
                if length > MAX_FRAME:
                    raise EOFError("a frame of %d bytes is beyond this client's limit" % length)
                self._dispatch(json.loads(self._read_exactly(length).decode("utf-8")))
        except (OSError, EOFError, ValueError) as e:
            self._fail_all(str(e) if not self._closed else "closed")

    def _dispatch(self, frame):
        address = frame.get("address")
        with self._lock:
            if address in self._pending:
                self._pending[address].put(frame)
                return
            handler = self._handlers.get(address)
            if handler is None and frame.get("type") == "err" and self._order:
                # an error that names no reply address (access_denied, a malformed frame):
                # the bridge answers in order, so it belongs to the oldest request still waiting
                self._pending[self._order.pop(0)].put(frame)
                return
        if handler is not None:
            handler(frame.get("body"))

    def _fail_all(self, reason):
        with self._lock:
            for answer in self._pending.values():
                answer.put({"type": "err", "failureCode": 503, "message": "bridge connection lost: " + reason})
            self._pending.clear()
            self._order.clear()
