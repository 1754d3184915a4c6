#!/usr/bin/env bash
# xfernode benchmark (SPEC section 4): one command that measures, on the same data and in one go,
#   - the physical limits: iperf3 over loopback, cat from the page cache, cp;
#   - the peers: socat over loopback, an rsync daemon, globus-url-copy to a local GridFTP server;
#   - xfernode: file->file and file->null on one node, file->file and random->null across two nodes
#     (and pattern->null across nodes, to separate the random generator from the hop);
# and prints each case's median throughput with its ratio to the relevant limit and to each peer.
#
# Settings (environment):
#   BENCH_SIZE_MB=1024      size of the test file, in MiB
#   BENCH_REPS=3            measured repetitions of every case (the table shows the median)
#   BENCH_WARMUP=1          1: one unmeasured round first (JIT warm-up, output checked with cmp)
#   BENCH_IPERF_SECONDS=5   length of each iperf3 run
#   BENCH_TMPDIR=/tmp       where the work directory is made (it must have room for 2x the file)
#   BENCH_CASES=            space-separated case ids to run (default: all; see CASES below)
#   BENCH_KEEP=0            1: keep the work directory (logs, raw results) after the run
#   BENCH_RESULTS=          a path: copy the raw per-repetition results (TSV) there
#   XFERNODE_JAR=           the fat jar; default <repo>/node/target/xfernode.jar, built if missing
#   XFERNODE_JAVA_OPTS=     extra JVM options for both nodes
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(...) fails the assignment that uses it

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE_MB=${BENCH_SIZE_MB:-1024}
REPS=${BENCH_REPS:-3}
WARMUP=${BENCH_WARMUP:-1}
IPERF_SECONDS=${BENCH_IPERF_SECONDS:-5}
JAR=${XFERNODE_JAR:-$REPO/node/target/xfernode.jar}
JAVA_OPTS=${XFERNODE_JAVA_OPTS:-}

W=""          # the work directory (set in make_workdir)
JAR_INFO=""
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)   # this machine may be shared: say how busy it was
STARTED=$(date +%s)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
now_ns() { date +%s%N; }
secs_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", (b - a) / 1e9 }'; }

# ---------------------------------------------------------------------------------------------------
# Processes: every background process is recorded in $W/pids, and the EXIT trap stops those (and
# their direct children, e.g. the per-connection forks of rsyncd and the GridFTP server), nothing else.

track() { echo "$1" >> "$W/pids"; }

stop_pid() {
    local pid=$1
    kill -0 "$pid" 2>/dev/null || return 0
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do       # up to 10 s: a node leaves its cluster on SIGTERM
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    log "pid $pid ignored SIGTERM for 10 s: SIGKILL"
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    if [[ -n "$W" && -f "$W/pids" ]]; then
        # newest first: clients before servers, node b before node a
        for pid in $(tac "$W/pids"); do stop_pid "$pid"; done
        wait 2>/dev/null || true
    fi
    if [[ -n "$W" && -d "$W" ]]; then
        if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
            log "work directory kept: $W"
        elif [[ $rc -ne 0 ]]; then
            # keep the logs to look at, not the big files
            find "$W" -name '*.bin' -delete
            rm -f "$W/xfernode.jar"
            log "failed: logs kept in $W/logs"
        else
            rm -rf "$W"
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free TCP port on 127.0.0.1, below the kernel's ephemeral range (32768+) so that no outgoing
# connection can be holding it; never one this run has already handed out.
free_port() {
    local p
    for _ in $(seq 500); do
        p=$((20000 + RANDOM % 12000))
        grep -qx "$p" "$W/ports" 2>/dev/null && continue
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p" >> "$W/ports"
            echo "$p"
            return 0
        fi
    done
    die "no free port found"
}

wait_port() {   # port seconds: wait until something listens on 127.0.0.1:port
    for _ in $(seq $(($2 * 20))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# ---------------------------------------------------------------------------------------------------
# Setup

install_missing() {
    local -a need=() pair
    for pair in iperf3:iperf3 socat:socat rsync:rsync jq:jq curl:curl \
                globus-url-copy:globus-gass-copy-progs \
                globus-gridftp-server:globus-gridftp-server-progs; do
        command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
    done
    command -v java >/dev/null || die "java (17+) is not on the PATH"
    [[ ${#need[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $EUID -ne 0 ]] && sudo="sudo"
    log "installing: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
}

ensure_jar() {
    if [[ -f "$JAR" ]]; then
        log "using $JAR"
        return 0
    fi
    log "$JAR is missing: building it (mvn -q -DskipTests package)"
    (cd "$REPO" && mvn -q -DskipTests package) >&2
    [[ -f "$JAR" ]] || die "the build did not produce $JAR"
}

make_workdir() {
    W=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xfernode-bench.XXXXXX")
    mkdir -p "$W/data" "$W/out" "$W/logs" "$W/tmp"
    : > "$W/pids"
    : > "$W/results.tsv"
    # The GridFTP server runs anonymous sessions as 'nobody' when started as root: it must be able to
    # reach $W and write into out/.
    chmod 755 "$W"
    chmod 1777 "$W/out"
    # the nodes run a copy of the jar: a rebuild during the run cannot pull it from under them
    cp "$JAR" "$W/xfernode.jar"
    JAR_INFO="$JAR, built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$W/xfernode.jar" | cut -c1-16)…"
    SRC="$W/data/bench.bin"
    OUT="$W/out"
    SIZE=$((SIZE_MB * 1024 * 1024))
}

make_test_file() {
    log "making the test file: $SIZE_MB MiB of random bytes"
    head -c "$SIZE" /dev/urandom > "$SRC"
    # warm the page cache: every case then reads the file from memory
    cat "$SRC" > /dev/null
    cat "$SRC" > /dev/null
}

print_machine() {
    echo "## Machine"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- cpus (nproc): $(nproc); memory: $(free -m | awk '/^Mem:/ { print $2 " MiB" }'); kernel: $(uname -r)"
    echo "- java: $(java -version 2>&1 | sed -n 2p)"
    echo "- xfernode: $JAR_INFO; bench/ at commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "- $(iperf3 --version | head -1); $(socat -V | sed -n 2p | cut -d' ' -f1-3); $(rsync --version | head -1 | tr -s ' ')"
    echo "- globus-url-copy $(globus-url-copy -version 2>&1 | awk '{ print $2 }' | head -1); $(globus-gridftp-server -version 2>&1 | head -1)"
    echo "- load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- test file: $SIZE_MB MiB ($SIZE bytes) of random data in $W; $REPS repetitions, median; warm-up round: $WARMUP"
    echo
}

# ---------------------------------------------------------------------------------------------------
# Servers: started once, used by every repetition.

IPERF_PORT="" RSYNC_PORT="" GRIDFTP_PORT="" GRIDFTP_SKIP=""

start_iperf3() {
    IPERF_PORT=$(free_port)
    iperf3 -s -B 127.0.0.1 -p "$IPERF_PORT" > "$W/logs/iperf3.log" 2>&1 &
    track $!
    wait_port "$IPERF_PORT" 10 || die "iperf3 server did not start (see $W/logs/iperf3.log)"
}

start_rsyncd() {
    RSYNC_PORT=$(free_port)
    cat > "$W/rsyncd.conf" <<EOF
use chroot = no
[bench]
    path = $OUT
    read only = no
EOF
    [[ $EUID -eq 0 ]] && printf '    uid = root\n    gid = root\n' >> "$W/rsyncd.conf"
    rsync --daemon --no-detach --address=127.0.0.1 --port="$RSYNC_PORT" \
        --config="$W/rsyncd.conf" --log-file="$W/logs/rsyncd.log" &
    track $!
    wait_port "$RSYNC_PORT" 10 || die "rsync daemon did not start (see $W/logs/rsyncd.log)"
}

# GridFTP without GSI: -aa allows clear-text anonymous logins (what globus-url-copy sends for an
# ftp:// URL); as root the server must then be told which user anonymous sessions run as.
# It forks one process per connection (its default daemon mode) and stops with the parent.
start_gridftp() {
    GRIDFTP_PORT=$(free_port)
    local -a args=(-aa -p "$GRIDFTP_PORT" -control-interface 127.0.0.1 -data-interface 127.0.0.1
                   -d "error,warn,info" -l "$W/logs/gridftp.log")
    [[ $EUID -eq 0 ]] && args+=(-anonymous-user nobody)
    globus-gridftp-server "${args[@]}" > "$W/logs/gridftp.out" 2>&1 &
    track $!
    if ! wait_port "$GRIDFTP_PORT" 10; then
        GRIDFTP_SKIP="the GridFTP server did not listen: $(tail -3 "$W/logs/gridftp.out" "$W/logs/gridftp.log" 2>/dev/null | tr '\n' ' ')"
        log "gridftp: $GRIDFTP_SKIP"
    fi
}

# Two xfernode nodes on this host. They get a cluster name of their own (a copy of the default
# Hazelcast config), so they never join another xfernode cluster that happens to run here.
XF_A_HTTP="" XF_B_HTTP=""
XF_A=bench-a XF_B=bench-b

NODE_HTTP=""
start_node() {   # id: starts it in the background, sets NODE_HTTP to its HTTP address host:port
    local id=$1 line="" pid
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
    java $JAVA_OPTS -jar "$W/xfernode.jar" --node-id "$id" --cluster-config "$W/hazelcast.xml" \
        --conf "$W/node.yaml" --root data="$W/data" --root out="$OUT" \
        --bridge-port 0 --http-port 0 --data-port 0 > "$W/logs/$id.log" 2>&1 &
    pid=$!
    track "$pid"
    for _ in $(seq 1200); do
        line=$(grep -m1 "node $id is up" "$W/logs/$id.log" || true)
        [[ -n "$line" ]] && break
        kill -0 "$pid" 2>/dev/null || die "node $id exited: $(tail -3 "$W/logs/$id.log")"
        sleep 0.1
    done
    [[ -n "$line" ]] || die "node $id did not come up in 120 s (see $W/logs/$id.log)"
    NODE_HTTP=$(sed -E 's/.*HTTP on ([0-9.]+:[0-9]+).*/\1/' <<<"$line")
}

start_nodes() {
    local cfg="$REPO/cluster-config/src/main/resources/xfernode/hazelcast-default.xml" n
    [[ -f "$cfg" ]] || die "missing $cfg"
    sed "s|<cluster-name>[^<]*</cluster-name>|<cluster-name>xfernode-bench-$$</cluster-name>|" "$cfg" > "$W/hazelcast.xml"
    # the pool the (f) case sends over: a 16 MiB window per transfer, up to 4 connections per peer
    printf 'pools:\n  - {name: bench, maxPerPeer: 4, window: 16777216}\n' > "$W/node.yaml"
    log "starting xfernode nodes $XF_A and $XF_B"
    start_node "$XF_A"; XF_A_HTTP=$NODE_HTTP
    start_node "$XF_B"; XF_B_HTTP=$NODE_HTTP
    for _ in $(seq 300); do
        n=$(curl -sS "http://$XF_A_HTTP/api/nodes" | jq '.nodes | length')
        [[ "$n" == 2 ]] && break
        sleep 0.1
    done
    [[ "$n" == 2 ]] || die "the two nodes did not form one cluster in 30 s"
    log "nodes up: $XF_A http://$XF_A_HTTP, $XF_B http://$XF_B_HTTP"
}

# ---------------------------------------------------------------------------------------------------
# Cases. Each one runs a single repetition and calls `record CASE BYTES SECONDS [ENGINE_SECONDS]`.
# They run in a subshell with `set -e`, so any failing command fails the case (not the whole run).

ROUND=""   # "warmup" or the repetition number; set by run_round
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$ROUND" "$2" "$3" "${4:--}" >> "$W/results.tsv"; }

# In the warm-up round, check that an output is a faithful copy of the test file.
check_copy() {
    [[ "$ROUND" == warmup ]] || return 0
    cmp -s "$SRC" "$1" || { log "$1 differs from the test file"; return 1; }
}

timed() {   # command... : runs it, prints its wall-clock seconds
    local t0 t1
    t0=$(now_ns)
    "$@"
    t1=$(now_ns)
    secs_between "$t0" "$t1"
}

case_iperf3() {
    local bytes s
    iperf3 -c 127.0.0.1 -p "$IPERF_PORT" -t "$IPERF_SECONDS" -J > "$W/tmp/iperf3.json"
    bytes=$(jq -e '.end.sum_received.bytes' "$W/tmp/iperf3.json")
    s=$(jq -e '.end.sum_received.seconds' "$W/tmp/iperf3.json")
    record iperf3 "$bytes" "$s"
}

cat_null() { cat "$SRC" > /dev/null; }

case_cat() {
    local s
    s=$(timed cat_null)
    record cat "$SIZE" "$s"
}

case_cp() {
    local s
    rm -f "$OUT/cp.bin"
    s=$(timed cp "$SRC" "$OUT/cp.bin")
    record cp "$SIZE" "$s"
    check_copy "$OUT/cp.bin"
}

# file -> socket -> file, both ends socat; the time runs until the receiver has closed its file.
socat_copy() {
    local port=$1 rpid
    socat -u "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" "OPEN:$OUT/socat.bin,creat,trunc" &
    rpid=$!
    track "$rpid"
    socat -u "OPEN:$SRC" "TCP:127.0.0.1:$port,retry=200,interval=0.01"
    wait "$rpid"
}

case_socat() {
    local port s
    port=$(free_port)
    rm -f "$OUT/socat.bin"
    s=$(timed socat_copy "$port")
    record socat "$SIZE" "$s"
    check_copy "$OUT/socat.bin"
}

# --whole-file: no delta algorithm (the destination is removed before each run anyway).
case_rsync() {
    local s
    rm -f "$OUT/rsync.bin"
    s=$(timed rsync --whole-file "$SRC" "rsync://127.0.0.1:$RSYNC_PORT/bench/rsync.bin")
    record rsync "$SIZE" "$s"
    check_copy "$OUT/rsync.bin"
}

case_gridftp() {
    local s
    [[ -z "$GRIDFTP_SKIP" ]] || return 1
    rm -f "$OUT/gridftp.bin"
    s=$(timed globus-url-copy "file://$SRC" "ftp://127.0.0.1:$GRIDFTP_PORT$OUT/gridftp.bin")
    record gridftp "$SIZE" "$s"
    check_copy "$OUT/gridftp.bin"
}

# Submit a transfer to node a over HTTP, wait for its final state, record both throughputs:
# wall-clock (submit until we know it is DONE) and engine (bytes / (endedAt - startedAt)).
xf_run() {   # case spec-json-without-id
    local name=$1 id="$1-$ROUND-$$" spec code t0 t1 state status
    spec=$(jq -c --arg id "$id" '{id: $id} + .' <<<"$2")
    t0=$(now_ns)
    code=$(curl -sS -o "$W/tmp/submit.json" -w '%{http_code}' -X POST "http://$XF_A_HTTP/api/transfers" \
        -H 'Content-Type: application/json' -d "$spec")
    [[ "$code" == 201 ]] || { log "$name: submit answered $code: $(cat "$W/tmp/submit.json")"; return 1; }
    # The events stream ends with the final state (a finished transfer answers it at once); poll
    # the status in case the stream ended early.
    for _ in $(seq 600); do
        curl -sS -N --max-time 600 "http://$XF_A_HTTP/api/transfers/$id/events" > /dev/null || true
        t1=$(now_ns)
        status=$(curl -sS "http://$XF_A_HTTP/api/transfers/$id")
        state=$(jq -r .state <<<"$status")
        [[ "$state" == DONE || "$state" == FAILED || "$state" == CANCELLED ]] && break
        sleep 0.05
    done
    [[ "$state" == DONE ]] || { log "$name: transfer $id ended $state: $(jq -c 'del(.plan)' <<<"$status")"; return 1; }
    local bytes engine wall
    bytes=$(jq .bytes <<<"$status")
    [[ "$bytes" == "$SIZE" ]] || { log "$name: $bytes bytes moved, expected $SIZE"; return 1; }
    # Instant.toString() has 0, 3, 6 or 9 fraction digits
    engine=$(jq -r 'def ms: capture("^(?<s>[^.Z]+)(\\.(?<f>[0-9]+))?Z$")
                       | ((.s + "Z") | fromdateiso8601) + ("0." + (.f // "0") | tonumber);
                    (.endedAt | ms) - (.startedAt | ms)' <<<"$status")
    wall=$(secs_between "$t0" "$t1")
    record "$name" "$bytes" "$wall" "$engine"
}

case_xf_file_file() {
    rm -f "$OUT/xf-file.bin"
    xf_run xf_file_file '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_A'", "path": "out/xf-file.bin", "overwrite": true}}'
    check_copy "$OUT/xf-file.bin"
}

case_xf_file_null() {
    xf_run xf_file_null '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "null", "node": "'$XF_A'"}}'
}

case_xf_cross_file() {
    rm -f "$OUT/xf-cross.bin"
    xf_run xf_cross_file '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_B'", "path": "out/xf-cross.bin", "overwrite": true},
        "options": {"hop": "direct"}}'
    check_copy "$OUT/xf-cross.bin"
}

case_xf_cross_random() {
    xf_run xf_cross_random '{"source": {"type": "random", "node": "'$XF_A'", "length": '$SIZE', "seed": 1},
        "sink": {"type": "null", "node": "'$XF_B'"}, "options": {"hop": "direct"}}'
}

# Not one of SPEC's cases: the same hop as (d) without the cost of generating random bytes, to tell
# how much of (d) is the generator and how much is the hop.
case_xf_cross_pattern() {
    xf_run xf_cross_pattern '{"source": {"type": "pattern", "node": "'$XF_A'", "length": '$SIZE'},
        "sink": {"type": "null", "node": "'$XF_B'"}, "options": {"hop": "direct"}}'
}

# (f): the same copy as (c) over a pool's shared connections, in 4 streams.
case_xf_pool_file() {
    rm -f "$OUT/xf-pool.bin"
    xf_run xf_pool_file '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_B'", "path": "out/xf-pool.bin", "overwrite": true},
        "options": {"hop": "pool", "pool": "bench", "streams": 4}}'
    check_copy "$OUT/xf-pool.bin"
}

# Not one of SPEC's cases: (e) over the pool, to tell the pool hop's own cost from the file elements'.
case_xf_pool_pattern() {
    xf_run xf_pool_pattern '{"source": {"type": "pattern", "node": "'$XF_A'", "length": '$SIZE'},
        "sink": {"type": "null", "node": "'$XF_B'"}, "options": {"hop": "pool", "pool": "bench", "streams": 4}}'
}

# id | group | what it does | the limit it is compared with
CASES=(
    "iperf3|limit|iperf3 -c 127.0.0.1 -t $IPERF_SECONDS (memory to memory over loopback)|iperf3"
    "cat|limit|cat file > /dev/null (page cache)|cat"
    "cp|limit|cp file copy|cp"
    "socat|peer|socat file -> loopback TCP -> socat file|cp"
    "rsync|peer|rsync --whole-file file rsync://127.0.0.1/ (daemon)|cp"
    "gridftp|peer|globus-url-copy file:/// ftp://127.0.0.1/ (anonymous)|cp"
    "xf_file_file|xfernode|(a) file -> file, one node|cp"
    "xf_file_null|xfernode|(b) file -> null, one node|cat"
    "xf_cross_file|xfernode|(c) file on node a -> file on node b, hop direct|cp"
    "xf_cross_random|xfernode|(d) random on node a -> null on node b, hop direct|iperf3"
    "xf_cross_pattern|xfernode|(e, extra) pattern on node a -> null on node b, hop direct|iperf3"
    "xf_pool_file|xfernode|(f) file on node a -> file on node b, hop pool, 4 streams|cp"
    "xf_pool_pattern|xfernode|(g, extra) pattern on node a -> null on node b, hop pool, 4 streams|iperf3"
)

# The order the cases run in, within a round (the table keeps the order above). On the machine this was
# written on (a VM), a write into the page cache runs faster right after another large file was
# deleted than after a few seconds without one; so cp runs right after gridftp and the xfernode
# file -> file case right after cp: the two that "x cp" compares start from the same state.
RUN_ORDER="iperf3 cat socat rsync gridftp cp xf_file_file xf_file_null xf_cross_file xf_pool_file xf_cross_random xf_cross_pattern xf_pool_pattern"

selected() { [[ -z "${BENCH_CASES:-}" || " $BENCH_CASES " == *" $1 "* ]]; }

run_case() {
    local id=$1 rc=0
    set +e
    (set -e; "case_$id")
    rc=$?
    set -e
    if [[ $rc -ne 0 ]]; then
        log "  $id: FAILED (rc $rc)"
        printf '%s\t%s\tFAILED\t-\t-\n' "$id" "$ROUND" >> "$W/results.tsv"
    else
        tail -1 "$W/results.tsv" | awk -F'\t' '{ printf "  %s: %.1f MB/s\n", $1, $3 / $4 / 1e6 }' >&2
    fi
    # outputs were written to the page cache: flush them outside the timed part, so that
    # writeback does not land in the next case
    rm -f "$OUT"/*.bin
    sync
}

# Repetitions go round-robin over the cases (in RUN_ORDER), so that a noisy minute on this shared machine is spread
# over all cases instead of falling on one.
run_round() {
    ROUND=$1
    log "round $ROUND"
    local c
    for c in $RUN_ORDER; do
        if selected "$c"; then run_case "$c"; fi
    done
}

# ---------------------------------------------------------------------------------------------------
# The table: median MB/s (10^6 bytes per second) per case; ratios are this case / the other.

print_table() {
    printf '%s\n' "${CASES[@]}" > "$W/cases.txt"
    echo "## Results (MB/s = 10^6 bytes/s, median of $REPS; ratio = this case / the other, >1 is faster)"
    echo
    awk -F'\t' -v reps="$REPS" '
        function median(list,   n, a, i, j, t) {
            n = split(list, a, " ")
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
            if (n == 0) return ""
            return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
        }
        function ratio(x, y) { return (x == "" || y == "" || y == 0) ? "n/a" : sprintf("%.2f", x / y) }
        FNR == NR { split($0, f, "|"); order[++n] = f[1]; group[f[1]] = f[2]; what[f[1]] = f[3]; lim[f[1]] = f[4]; next }
        $2 == "warmup" { next }
        $3 == "FAILED" { failed[$1]++; next }
        { rates[$1] = rates[$1] " " $3 / $4 / 1e6
          if ($5 != "-" && $5 > 0) eng[$1] = eng[$1] " " $3 / $5 / 1e6 }
        END {
            for (i = 1; i <= n; i++) { c = order[i]; m[c] = median(rates[c]); e[c] = median(eng[c]) }
            printf "| case | what | MB/s wall | MB/s engine | runs | limit | x limit | x socat | x rsync | x gridftp |\n"
            printf "|---|---|---:|---:|---|---|---:|---:|---:|---:|\n"
            for (i = 1; i <= n; i++) {
                c = order[i]
                if (rates[c] == "" && !failed[c]) continue   # not selected
                split(rates[c], all, " "); runs = ""
                for (k = 1; k in all; k++) runs = runs (runs == "" ? "" : " ") sprintf("%.0f", all[k])
                if (failed[c]) runs = runs (runs == "" ? "" : " ") failed[c] "xFAILED"
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, what[c],
                    m[c] == "" ? "n/a" : sprintf("%.0f", m[c]), e[c] == "" ? "" : sprintf("%.0f", e[c]),
                    runs, lim[c], ratio(m[c], m[lim[c]]), ratio(m[c], m["socat"]), ratio(m[c], m["rsync"]), ratio(m[c], m["gridftp"])
            }
        }' "$W/cases.txt" "$W/results.tsv"
    echo
    echo "MB/s wall: bytes / wall-clock time of the whole command (for xfernode: HTTP submit until the"
    echo "final state is known). MB/s engine: bytes / (endedAt - startedAt) from the transfer status."
    echo "Ratios use the wall figures. limit: cp for file copies, cat for file -> null, iperf3 for network-only."
    [[ -z "$GRIDFTP_SKIP" ]] || echo "gridftp: not measured: $GRIDFTP_SKIP"
}

main() {
    local c
    for c in "${CASES[@]}"; do
        [[ " $RUN_ORDER " == *" ${c%%|*} "* ]] || die "case ${c%%|*} is missing from RUN_ORDER"
    done
    install_missing
    ensure_jar
    make_workdir
    log "work directory: $W"
    make_test_file
    if selected iperf3; then start_iperf3; fi
    if selected rsync; then start_rsyncd; fi
    if selected gridftp; then start_gridftp; fi
    if [[ -z "${BENCH_CASES:-}" || " $BENCH_CASES" == *" xf_"* ]]; then start_nodes; fi
    [[ "$WARMUP" == 1 ]] && run_round warmup
    local r
    for r in $(seq "$REPS"); do run_round "$r"; done
    [[ -z "${BENCH_RESULTS:-}" ]] || cp "$W/results.tsv" "$BENCH_RESULTS"
    echo
    print_machine
    print_table
    log "done in $(($(date +%s) - STARTED)) s"
}

main "$@"
