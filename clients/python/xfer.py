#!/usr/bin/env python3
"""xfer: drive an xfernode cluster through a node's TCP bridge.

    xfer.py [--host H] [--port P] [--token T] nodes
    xfer.py plan   SPEC
    xfer.py submit SPEC
    xfer.py run    SPEC        # submit, print progress on stderr, print the final status
    xfer.py status ID
    xfer.py list   [--state S] [--limit N]
    xfer.py cancel ID [--reason R]

--token (or the XFER_TOKEN environment variable) is the node's auth token, where it has tokens.
SPEC is a transfer spec as JSON text, or @file for a file holding one. Replies are printed as JSON.
Exit codes: 0 success (run: the transfer is DONE), 1 the transfer ended FAILED or CANCELLED,
2 the node refused the request (its code and message are printed on stderr), 3 no connection.
"""

import argparse
import json
import os
import sys

from xfernode_bridge import Bridge, BridgeError


def spec_arg(text):
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as f:
            return json.load(f)
    return json.loads(text)


def progress(event):
    kind = event.get("type")
    if kind == "progress":
        print("progress %s bytes" % event.get("bytes"), file=sys.stderr)
    elif kind == "state":
        print("state %s" % event.get("state"), file=sys.stderr)
    elif kind == "error":
        print("error %s" % json.dumps(event.get("error")), file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="xfer.py", description="Drive xfernode through its TCP bridge.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7000)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for a reply")
    parser.add_argument("--token", default=os.environ.get("XFER_TOKEN"),
                        help="the node's auth token (default: $XFER_TOKEN)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("nodes")
    for name in ("plan", "submit", "run"):
        sub.add_parser(name).add_argument("spec", type=spec_arg)
    sub.add_parser("status").add_argument("id")
    listing = sub.add_parser("list")
    listing.add_argument("--state")
    listing.add_argument("--limit", type=int)
    cancel = sub.add_parser("cancel")
    cancel.add_argument("id")
    cancel.add_argument("--reason")
    args = parser.parse_args(argv)

    try:
        bridge = Bridge(args.host, args.port, args.timeout, token=args.token)
    except OSError as e:
        print("xfer: cannot reach %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 3
    with bridge:
        try:
            if args.command == "nodes":
                out = bridge.nodes()
            elif args.command == "plan":
                out = bridge.plan(args.spec)
            elif args.command == "submit":
                out = bridge.submit(args.spec)
            elif args.command == "run":
                out = bridge.run(args.spec, on_event=progress)
            elif args.command == "status":
                out = bridge.status(args.id)
            elif args.command == "list":
                out = bridge.list(args.state, args.limit)
            else:
                out = bridge.cancel(args.id, args.reason)
        except BridgeError as e:
            print("xfer: %s" % e, file=sys.stderr)
            return 2
    print(json.dumps(out, indent=2))
    if args.command == "run" and out.get("state") != "DONE":
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
