#!/usr/bin/env python3
"""The control-plane cases of bench/run.sh, driven through a node's TCP event-bus bridge.

    latency.py --port P latency --source-node A --sink-node B --n 200 --inflight 32 --id-prefix X
    latency.py --port P fair --source-node A --sink-node B --n 100 --path data/bench.bin --length 8388608 --id-prefix X

Both use clients/python/xfernode_bridge.py as any client would: Bridge.run() subscribes to
xfer.events.<id>, sends the spec to xfer.submit, waits for the final `state` event and then reads the
final status from xfer.status. Nothing here talks to the node any other way.

latency: BENCH_LAT_N tiny transfers (1 KiB of `random` on the source node -> `null` on the sink node,
over the default pool), first one at a time (latency: from just before run() until it returns the final
status), then the same number again with `inflight` of them running at any moment (throughput:
transfers per second over the whole batch).

fair: `n` transfers of `length` bytes of a file on the source node -> `null` on the sink node, all
released at once from `n` threads, then each one's duration from its own status (endedAt - startedAt).

Prints one JSON object on stdout; exits 1 if any transfer did not end DONE (after printing what it has).
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import queue
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients", "python"))
from xfernode_bridge import Bridge, BridgeError  # noqa: E402  (the path above makes it importable)

# No event (or no reply) for this long means something is stuck: fail instead of hanging the benchmark.
# Set by --timeout.
timeout_s = 120.0


def run_one(bridge, spec):
    """Runs one transfer to its end; returns (seconds, final status or an error dict)."""
    t0 = time.monotonic()
    try:
        status = bridge.run(spec, timeout=timeout_s)
    except BridgeError as e:
        # refused at submit (e.g. 429): it never ran, so it has no status worth reading
        status = {"id": spec["id"], "state": "REFUSED", "error": {"code": e.code, "message": e.message}}
    except queue.Empty:
        # Bridge.run waits for events with this timeout: the final state event never came
        status = {"id": spec["id"], "state": "NO_FINAL_STATE",
                  "error": {"message": "no event for %s s" % timeout_s}}
    return time.monotonic() - t0, status


def percentile(sorted_values, p):
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below it."""
    rank = max(1, -(-len(sorted_values) * p // 100))   # ceil(n * p / 100), at least 1
    return sorted_values[int(rank) - 1]


def instant_seconds(text):
    """An Instant.toString() ("2026-12-03T13:47:07.615Z", 0 to 9 fraction digits) as epoch seconds."""
    whole, _, fraction = text.rstrip("Z").partition(".")
    base = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return base.timestamp() + (float("0." + fraction) if fraction else 0.0)


def not_done(statuses):
    return [{"id": s.get("id"), "state": s.get("state"), "error": s.get("error")}
            for s in statuses if s.get("state") != "DONE"]


def cmd_latency(bridge, args):
    def spec(i):
        return {"id": "%s-%d" % (args.id_prefix, i),
                "source": {"type": "random", "node": args.source_node, "length": 1024, "seed": i},
                "sink": {"type": "null", "node": args.sink_node}}

    # (i) one at a time: each figure is one client's submit-to-final-status time
    seconds, statuses = [], []
    for i in range(args.n):
        s, status = run_one(bridge, spec(i))
        seconds.append(s)
        statuses.append(status)
    ms = sorted(s * 1000 for s in seconds)

    # (ii) `inflight` at a time: a pool of that many threads, each starting the next transfer as soon
    # as its previous one ended, all on the one bridge connection (Bridge is thread-safe)
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.inflight) as pool:
        batch = list(pool.map(lambda i: run_one(bridge, spec(args.n + i)), range(args.n)))
    batch_s = time.monotonic() - t0
    statuses += [status for _, status in batch]

    failed = not_done(statuses)
    print(json.dumps({"n": args.n, "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99),
                      "min_ms": ms[0], "max_ms": ms[-1], "sequential_s": sum(seconds),
                      "inflight": args.inflight, "batch_s": batch_s, "transfers_per_s": args.n / batch_s,
                      "done": len(statuses) - len(failed), "total": len(statuses), "not_done": failed[:5]}))
    return 0 if not failed else 1


def cmd_fair(bridge, args):
    def spec(i):
        return {"id": "%s-%d" % (args.id_prefix, i),
                "source": {"type": "file", "node": args.source_node, "path": args.path, "length": args.length},
                "sink": {"type": "null", "node": args.sink_node}}

    # every thread waits at the barrier, so the n submits leave together instead of one after another
    barrier = threading.Barrier(args.n)
    results = [None] * args.n

    def worker(i):
        barrier.wait()
        results[i] = run_one(bridge, spec(i))

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(args.n)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0

    statuses = [status for _, status in results]
    failed = not_done(statuses)
    durations = sorted(instant_seconds(s["endedAt"]) - instant_seconds(s["startedAt"])
                       for s in statuses if s.get("state") == "DONE")
    moved = sum(s.get("bytes", 0) for s in statuses if s.get("state") == "DONE")
    out = {"n": args.n, "length": args.length, "done": len(statuses) - len(failed), "wall_s": wall,
           "bytes": moved, "not_done": failed[:5]}
    if durations:
        out.update({"min_s": durations[0], "max_s": durations[-1],
                    "max_over_min": durations[-1] / durations[0] if durations[0] > 0 else None})
    print(json.dumps(out))
    short = [s["id"] for s in statuses if s.get("state") == "DONE" and s.get("bytes") != args.length]
    if short:
        print("fair: DONE with the wrong byte count: %s" % short[:5], file=sys.stderr)
    return 0 if not failed and not short else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="latency.py", description=__doc__.split("\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True, help="the node's TCP bridge port")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds without an event or a reply after which a transfer counts as stuck")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("latency", "fair"):
        p = sub.add_parser(name)
        p.add_argument("--source-node", required=True)
        p.add_argument("--sink-node", required=True)
        p.add_argument("--n", type=int, required=True)
        p.add_argument("--id-prefix", required=True, help="transfer ids are <prefix>-<i>; unique per run")
    sub.choices["latency"].add_argument("--inflight", type=int, default=32)
    sub.choices["fair"].add_argument("--path", required=True, help="the source file, e.g. data/bench.bin")
    sub.choices["fair"].add_argument("--length", type=int, required=True, help="bytes per transfer")
    args = parser.parse_args(argv)
    global timeout_s
    timeout_s = args.timeout

    # a reply (submit included) may take long while 100 transfers set up on 2 busy cores
    with Bridge(args.host, args.port, timeout=timeout_s) as bridge:
        return cmd_latency(bridge, args) if args.command == "latency" else cmd_fair(bridge, args)


if __name__ == "__main__":
    sys.exit(main())
