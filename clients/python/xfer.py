#!/usr/bin/env python3
"""xfer: drive an xfernode cluster through a node's TCP bridge.

    xfer.py [--host H] [--port P] [--token T] nodes
    xfer.py plan   SPEC
    xfer.py submit SPEC
    xfer.py run    SPEC        # submit and follow it: progress on stderr, the final status on stdout
    xfer.py watch  ID          # follow a transfer submitted elsewhere
    xfer.py send   LOCAL_FILE DST [--window N] [--chunk-size N] [--checksum ALG]
    xfer.py recv   SRC LOCAL_FILE [--window N] [--chunk-size N]
    xfer.py status ID
    xfer.py list   [--state S] [--limit N]
    xfer.py cancel ID [--reason R]
    xfer.py pools  [list | define POOL | remove NAME]

--token (or the XFER_TOKEN environment variable) is the node's auth token, where it has tokens.
SPEC is a transfer spec as JSON text, or @file for a file holding one. SRC and DST are spec elements:
JSON text ('{"type": "file", "path": "data/in.bin"}') or a URI (file://a/data/in.bin). POOL is a pool
as JSON ('{"name": "bulk", "maxPerPeer": 8}'). Replies are printed as JSON.

Progress goes to stderr: one line redrawn in place on a terminal, plain lines at most once a second
otherwise, and a summary at the end. Ctrl-C while following a transfer cancels it (a second Ctrl-C
leaves it running) and exits 130.

Exit codes: 0 success (following a transfer: it is DONE), 1 the transfer ended FAILED or CANCELLED,
2 the node refused the request (its code and message are printed on stderr), 3 no connection,
130 interrupted.
"""

import argparse
import json
import os
import signal
import sys
import uuid

from progress import Progress
from xfernode_bridge import Bridge, BridgeError
from xfernode_stream import DEFAULT_WINDOW, recv_file, send_file

FOLLOWING = ("run", "watch", "send", "recv")


def spec_arg(text):
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            return json.load(f)
    return json.loads(text)


def element_arg(text):
    return json.loads(text) if text.lstrip().startswith("{") else text


def parse(argv):
    parser = argparse.ArgumentParser(prog="xfer.py", description="Drive xfernode through its TCP bridge.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7000)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reply")
    parser.add_argument("--token", default=os.environ.get("XFER_TOKEN"),
                        help="the node's auth token (default: $XFER_TOKEN)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("nodes")
    for name in ("plan", "submit", "run"):
        sub.add_parser(name).add_argument("spec", type=spec_arg)
    sub.add_parser("watch").add_argument("id")
    send = sub.add_parser("send", help="upload a local file through an eventbus source")
    send.add_argument("file")
    send.add_argument("dst", type=element_arg)
    recv = sub.add_parser("recv", help="download into a local file through an eventbus sink")
    recv.add_argument("src", type=element_arg)
    recv.add_argument("file")
    for streaming in (send, recv):
        streaming.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="chunks in flight")
        streaming.add_argument("--chunk-size", type=int)
        streaming.add_argument("--checksum", help="crc32c, sha256 or md5: verified end to end")
        streaming.add_argument("--id", help="the transfer's id")
    sub.add_parser("status").add_argument("id")
    listing = sub.add_parser("list")
    listing.add_argument("--state")
    listing.add_argument("--limit", type=int)
    cancel = sub.add_parser("cancel")
    cancel.add_argument("id")
    cancel.add_argument("--reason")
    pools = sub.add_parser("pools")
    pools.add_argument("op", nargs="?", default="list", choices=("list", "define", "remove"))
    pools.add_argument("arg", nargs="?", help="define: the pool as JSON; remove: its name")
    return parser.parse_args(argv)


def execute(bridge, args, transfer_id, progress):
    """Runs the command; returns what to print."""
    options = {"checksum": args.checksum} if getattr(args, "checksum", None) else None
    if args.command == "nodes":
        return bridge.nodes()
    if args.command == "plan":
        return bridge.plan(args.spec)
    if args.command == "submit":
        return bridge.submit(args.spec)
    if args.command == "run":
        return bridge.run(dict(args.spec, id=transfer_id), on_event=progress.event)
    if args.command == "watch":
        return bridge.watch(transfer_id, on_event=progress.event)
    if args.command == "send":
        progress.total = os.path.getsize(args.file)
        return send_file(bridge, args.file, args.dst, window=args.window, chunk_size=args.chunk_size,
                         options=options, on_event=progress.event, transfer_id=transfer_id)
    if args.command == "recv":
        return recv_file(bridge, args.src, args.file, window=args.window, chunk_size=args.chunk_size,
                         options=options, on_event=progress.event, transfer_id=transfer_id)
    if args.command == "status":
        return bridge.status(args.id)
    if args.command == "list":
        return bridge.list(args.state, args.limit)
    if args.command == "cancel":
        return bridge.cancel(args.id, args.reason)
    if args.op == "list":
        return bridge.pools()
    if args.arg is None:
        raise BridgeError(400, "pools %s: needs %s" % (args.op, "a pool as JSON" if args.op == "define" else "a name"))
    return bridge.define_pool(json.loads(args.arg)) if args.op == "define" else bridge.remove_pool(args.arg)


def cancel_once(args, transfer_id, progress):
    """Ctrl-C: cancels the transfer over a new connection (the old one may be mid-frame); 130."""
    progress.clear()
    print("xfer: interrupted; cancelling %s (Ctrl-C again leaves it running)" % transfer_id, file=sys.stderr)
    try:
        with Bridge(args.host, args.port, min(args.timeout, 10.0), token=args.token) as bridge:
            state = bridge.cancel(transfer_id, "interrupted by the client").get("state")
        print("xfer: %s is %s" % (transfer_id, state), file=sys.stderr)
    except KeyboardInterrupt:
        print("xfer: left %s running" % transfer_id, file=sys.stderr)
    except (OSError, BridgeError) as e:
        print("xfer: could not cancel %s: %s" % (transfer_id, e), file=sys.stderr)
    return 130


def main(argv=None):
    # Ctrl-C raises KeyboardInterrupt even where SIGINT came in ignored (a job started with & by a shell)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    args = parse(argv)
    transfer_id = None
    if args.command in FOLLOWING:
        transfer_id = getattr(args, "id", None) or (args.spec.get("id") if args.command == "run" else None) \
            or "py-" + uuid.uuid4().hex
    progress = Progress(sys.stderr, quiet=args.quiet)
    try:
        bridge = Bridge(args.host, args.port, args.timeout, token=args.token)
    except OSError as e:
        print("xfer: cannot reach %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 3
    try:
        with bridge:
            out = execute(bridge, args, transfer_id, progress)
    except KeyboardInterrupt:
        if transfer_id is None:
            return 130
        return cancel_once(args, transfer_id, progress)
    except BridgeError as e:
        progress.clear()
        print("xfer: %s" % e, file=sys.stderr)
        return 2
    except OSError as e:
        progress.clear()
        print("xfer: %s" % e, file=sys.stderr)
        return 2
    if args.command in FOLLOWING:
        progress.finish(out)
    print(json.dumps(out, indent=2))
    if args.command in FOLLOWING and out.get("state") != "DONE":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
