"""Streams a local file into a transfer, and a transfer into a local file, through a node's bridge.

Uploading goes through an `eventbus` source, downloading through an `eventbus` sink, each with its credit
protocol (docs/API.md, "eventbus source and sink"): the event bus has no backpressure, so the source grants
the client chunks, and the client grants the sink chunks. `window` bounds the chunks in flight either way.

    with Bridge(port=7000) as bridge:
        status = send_file(bridge, "big.bin", {"type": "file", "path": "data/big.bin"}, window=4)
        status = recv_file(bridge, {"type": "file", "path": "data/big.bin"}, "copy.bin", window=4)
"""

import base64
import collections
import os
import queue
import uuid

from xfernode_bridge import BridgeError

DEFAULT_WINDOW = 16


def send_file(bridge, path, sink, window=DEFAULT_WINDOW, chunk_size=None, options=None, on_event=None,
              transfer_id=None):
    """Uploads the file at `path` into `sink` (a spec element or URI); returns the final status.

    At most `window` chunks are in flight, and never more than the source granted. `chunk_size` asks the
    source for one; by default it offers the largest that fits the node's frame limit up to 64 KiB.
    """
    source = {"type": "eventbus"}
    if chunk_size:
        source["chunkSize"] = chunk_size
    spec = _spec(transfer_id, "py-send-", source, sink, options)
    size = os.path.getsize(path)  # fails here, before anything is submitted, when the file is missing
    return _follow(bridge, spec, on_event, lambda reply: _upload(bridge, path, size, reply, window))


def recv_file(bridge, source, path, window=DEFAULT_WINDOW, chunk_size=None, options=None, on_event=None,
              transfer_id=None):
    """Downloads what `source` (a spec element or URI) reads into the file at `path`; returns the final status.

    The bytes land in a hidden file next to `path` that is renamed into place only when the transfer is
    DONE and every byte announced arrived; otherwise it is removed. The client grants `window` chunks.
    """
    mine = "xfer.client.py-" + uuid.uuid4().hex
    inbox = queue.Queue()
    sink = {"type": "eventbus", "address": mine}
    if chunk_size:
        sink["chunkSize"] = chunk_size
    spec = _spec(transfer_id, "py-recv-", source, sink, options)
    directory, name = os.path.split(os.path.abspath(path))
    part = os.path.join(directory, ".%s.%s.part" % (name, spec["id"]))

    def events(event):
        if event.get("type") == "done":
            inbox.put({"op": "done"})  # ends the download if the sink never got to say end or abort
        if on_event is not None:
            on_event(event)

    complete = []
    bridge.subscribe(mine, inbox.put)
    try:
        status = _follow(bridge, spec, events,
                         lambda reply: complete.append(_download(bridge, reply, inbox, part, window)))
        if status.get("state") == "DONE":
            if not complete:
                raise BridgeError(None, "%s: the transfer is DONE but its end never arrived" % path)
            os.replace(part, path)
        return status
    finally:
        bridge.unsubscribe(mine)
        if os.path.exists(part):
            os.remove(part)


def _spec(transfer_id, prefix, source, sink, options):
    spec = {"id": transfer_id or prefix + uuid.uuid4().hex, "source": source, "sink": sink}
    if options:
        spec["options"] = options
    return spec


def _follow(bridge, spec, on_event, stream):
    """Submits `spec` with its events followed, runs `stream(submit reply)`, and returns the final status."""
    return bridge.follow(spec, on_event, during=stream)


def _upload(bridge, path, size, reply, window):
    address = reply["endpoints"]["source"]["address"]["address"]
    opened = bridge.request(address, {"op": "open"})
    chunk = opened["chunkSize"]
    granted = opened["credits"]
    in_flight = collections.deque()
    seq = 0
    try:
        with open(path, "rb") as f:
            while True:
                data = f.read(chunk)
                if not data:
                    break
                while granted == 0 or len(in_flight) >= window:
                    granted += in_flight.popleft().result()["credits"]
                in_flight.append(bridge.start_request(address, {
                    "op": "data", "seq": seq, "data": base64.b64encode(data).decode("ascii")}))
                seq += 1
                granted -= 1
        while in_flight:
            in_flight.popleft().result()
    except OSError as e:
        bridge.post(address, {"op": "abort", "reason": "%s: %s" % (path, e.strerror or e)})
        raise
    sent = bridge.request(address, {"op": "end"})["bytes"]
    if sent != size:
        raise BridgeError(409, "%s: the node took %d bytes of %d" % (path, sent, size))


def _download(bridge, reply, inbox, part, window):
    control = reply["endpoints"]["sink"]["address"]["address"]
    bridge.request(control, {"op": "credit", "n": window})
    outstanding = window
    expected = 0
    written = 0
    with open(part, "wb") as f:
        while True:
            message = inbox.get()
            op = message.get("op")
            if op == "data":
                if message.get("seq") != expected:
                    raise BridgeError(400, "seq: expected %d, got %s" % (expected, message.get("seq")))
                data = base64.b64decode(message["data"])
                f.write(data)
                written += len(data)
                expected += 1
                outstanding -= 1
                if outstanding <= window // 2:
                    # one grant for half a window: fewer messages, and the sink never runs dry
                    bridge.post(control, {"op": "credit", "n": window - outstanding})
                    outstanding = window
            elif op == "end":
                if message.get("bytes") != written:
                    raise BridgeError(409, "the sink sent %s bytes, %d arrived" % (message.get("bytes"), written))
                return written
            elif op == "abort":
                raise BridgeError(None, "the transfer aborted: %s" % message.get("reason"))
            elif op == "done":
                raise BridgeError(None, "the transfer ended before its last chunk")
