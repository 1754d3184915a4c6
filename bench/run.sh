#!/usr/bin/env bash
# xfernode benchmark (SPEC section 4): one command that measures, on the same data and in one go,
#   - the physical limits: iperf3 over loopback (1 stream), cat from the page cache, cp;
#   - the peers: socat over loopback, an rsync daemon, globus-url-copy to a local GridFTP server (plain,
#     -fast, and -fast into the server's /dev/null);
#   - xfernode, one big file: file->file and file->null on one node; across two nodes file->file over
#     the direct hop and over the default pool (1 and 4 streams), file->null and pattern->null over the
#     default pool, random->null and pattern->null over the direct hop;
#   - small files: a tree of many 4 KiB files with cp -r, rsync -r, globus-url-copy -r and a recursive
#     xfernode transfer across the two nodes (files/s and MB/s);
#   - xfernode's control plane through the TCP bridge: the latency of tiny transfers one at a time, the
#     rate with 32 in flight, and the fairness of many concurrent transfers on one pool;
# and prints each case's median with its ratio to the relevant limit, to its twin and to each peer, then
# each node's peak RSS.
#
# Settings (environment); "smoke:" gives the default under BENCH_SMOKE=1 (an explicit setting still wins):
#   BENCH_SMOKE=0           1: a quick self-check for the test suite: small sizes, a checked warm-up
#                           round and one measured round, cases whose tool is missing are skipped (not
#                           installed), and the exit status is 1 if any selected case FAILED
#   BENCH_SIZE_MB=1024      size of the test file, in MiB (smoke: 8)
#   BENCH_FILES=10000       files of 4 KiB in the small-files tree, spread over up to 100 directories (smoke: 200)
#   BENCH_LAT_N=200         transfers of 1 KiB in each half of the latency case (smoke: 20)
#   BENCH_LAT_INFLIGHT=32   transfers in flight in the latency case's throughput half
#   BENCH_FAIR_N=100        concurrent transfers in the fairness case (smoke: 10)
#   BENCH_FAIR_MB=8         size of each of them, in MiB, at most BENCH_SIZE_MB (smoke: 1)
#   BENCH_REPS=3            measured repetitions of every case (the tables show the median) (smoke: 1)
#   BENCH_WARMUP=1          1: one unmeasured round first (JIT warm-up, every copy checked); smoke: always 1
#   BENCH_IPERF_SECONDS=5   length of each iperf3 run (smoke: 1)
#   BENCH_NODE_WARMUP=60    seconds the two nodes move bytes, unmeasured, before the first round (smoke: 0)
#   BENCH_TMPDIR=/tmp       where the work directory is made (it must have room for 2x the file)
#   BENCH_CASES=            space-separated case ids to run (default: all; see CASES below)
#   BENCH_KEEP=0            1: keep the work directory (logs, raw results) after the run
#   BENCH_RESULTS=          a path: copy the raw per-repetition results (TSV) there
#   XFERNODE_JAR=           the fat jar; default <repo>/node/target/xfernode.jar, built if missing
#   XFERNODE_JAVA_OPTS=     extra JVM options for both nodes, after the default -Xmx256m (a later -Xmx wins)
set -euo pipefail
shopt -s inherit_errexit   # a failure inside $(...) fails the assignment that uses it

# globus-gridftp-server lives in /usr/sbin, which a non-root user's PATH often lacks
PATH=$PATH:/usr/sbin:/sbin

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SMOKE=${BENCH_SMOKE:-0}
smoke_or() { if [[ "$SMOKE" == 1 ]]; then echo "$1"; else echo "$2"; fi; }   # smoke-value normal-value
SIZE_MB=${BENCH_SIZE_MB:-$(smoke_or 8 1024)}
FILES=${BENCH_FILES:-$(smoke_or 200 10000)}
LAT_N=${BENCH_LAT_N:-$(smoke_or 20 200)}
LAT_INFLIGHT=${BENCH_LAT_INFLIGHT:-32}
FAIR_N=${BENCH_FAIR_N:-$(smoke_or 10 100)}
FAIR_MB=${BENCH_FAIR_MB:-$(smoke_or 1 8)}
REPS=${BENCH_REPS:-$(smoke_or 1 3)}
WARMUP=$(smoke_or 1 "${BENCH_WARMUP:-1}")   # smoke mode exists to check the copies: always warm up
IPERF_SECONDS=${BENCH_IPERF_SECONDS:-$(smoke_or 1 5)}
NODE_WARMUP=${BENCH_NODE_WARMUP:-$(smoke_or 0 60)}
JAR=${XFERNODE_JAR:-$REPO/node/target/xfernode.jar}
# A 256 MiB heap by default: the peak RSS printed at the end is measured against 512 MiB with it.
# (Not the environment's JAVA_OPTS: one set for something else must not change what is measured.)
JAVA_OPTS="-Xmx256m${XFERNODE_JAVA_OPTS:+ $XFERNODE_JAVA_OPTS}"
# Maven and IDEs set JAVA_HOME without always putting its java first on the PATH
JAVA=java
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && JAVA=$JAVA_HOME/bin/java
RSS_LIMIT_MIB=512   # what one node may use at most (peak RSS) with the default 256 MiB heap
FILE_BYTES=4096     # each file of the small-files tree

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
            # keep the logs to look at, not the big files (nor the thousands of small ones)
            find "$W" -name '*.bin' -delete
            rm -rf "$W/xfernode.jar" "$W/data/tree" "$W/out"/*-tree
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

# The tools each case needs besides bash and coreutils.
case_tools() {
    case $1 in
        iperf3) echo iperf3 jq ;;
        socat) echo socat ;;
        rsync|rsync_r) echo rsync ;;
        gridftp*) echo globus-url-copy globus-gridftp-server ;;
        xf_*) echo "$JAVA" curl jq python3 ;;
    esac
}

install_missing() {
    local -a need=() pair
    for pair in iperf3:iperf3 socat:socat rsync:rsync jq:jq curl:curl python3:python3 \
                globus-url-copy:globus-gass-copy-progs \
                globus-gridftp-server:globus-gridftp-server-progs; do
        command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
    done
    command -v "$JAVA" >/dev/null || die "java (17+) is not on the PATH"
    [[ ${#need[@]} -eq 0 ]] && return 0
    local sudo=""
    [[ $EUID -ne 0 ]] && sudo="sudo"
    log "installing: ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
}

# Smoke mode runs inside the test suite, on machines we must not install anything on: a case whose
# tool is missing is skipped (and listed under the tables) instead. The xfernode cases are the point of
# the smoke run, so their tools are required.
SKIPPED=""   # "case (tool) case (tool) ..."
skip_missing_tools() {
    local c id t
    for c in "${CASES[@]}"; do
        id=${c%%|*}
        selected "$id" || continue
        for t in $(case_tools "$id"); do
            command -v "$t" >/dev/null && continue
            [[ "$id" == xf_* ]] && die "$t is required for the xfernode cases ($id)"
            SKIPPED="$SKIPPED $id ($t missing)"
            log "skipping $id: $t is missing"
            break
        done
    done
}

skipped() { [[ " $SKIPPED " == *" $1 ("* ]]; }

# a case runs if BENCH_CASES names it (or is empty) and its tool is there
wanted() { selected "$1" && ! skipped "$1"; }
any_wanted() { local c; for c in "$@"; do wanted "$c" && return 0; done; return 1; }
any_xf_wanted() {
    local c
    for c in "${CASES[@]}"; do
        [[ "${c%%|*}" == xf_* ]] && wanted "${c%%|*}" && return 0
    done
    return 1
}

ensure_jar() {
    if [[ -f "$JAR" ]]; then
        log "using $JAR"
        return 0
    fi
    # the smoke run is run by the build itself: building from inside it would be wrong
    [[ "$SMOKE" != 1 ]] || die "$JAR is missing (smoke mode does not build it)"
    log "$JAR is missing: building it (mvn -q -DskipTests package)"
    (cd "$REPO" && mvn -q -DskipTests package) >&2
    [[ -f "$JAR" ]] || die "the build did not produce $JAR"
}

make_workdir() {
    W=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/xfernode-bench.XXXXXX")
    mkdir -p "$W/data" "$W/out" "$W/logs" "$W/tmp"
    : > "$W/pids"
    : > "$W/results.tsv"
    : > "$W/control.tsv"
    # The GridFTP server runs anonymous sessions as 'nobody' when started as root: it must be able to
    # reach $W and write into out/.
    chmod 755 "$W"
    chmod 1777 "$W/out"
    # the nodes run a copy of the jar: a rebuild during the run cannot pull it from under them
    cp "$JAR" "$W/xfernode.jar"
    JAR_INFO="$JAR, built $(date -u -r "$JAR" +%Y-%m-%dT%H:%M:%SZ), sha256 $(sha256sum "$W/xfernode.jar" | cut -c1-16)…"
    SRC="$W/data/bench.bin"
    OUT="$W/out"
    TREE="$W/data/tree"
    SIZE=$((SIZE_MB * 1024 * 1024))
    TREE_BYTES=$((FILES * FILE_BYTES))
    FAIR_BYTES=$((FAIR_MB * 1024 * 1024))
}

make_test_file() {
    log "making the test file: $SIZE_MB MiB of random bytes"
    head -c "$SIZE" /dev/urandom > "$SRC"
    # warm the page cache: every case then reads the file from memory
    cat "$SRC" > /dev/null
    cat "$SRC" > /dev/null
}

# The small-files tree: FILES files of 4 KiB of random bytes in up to 100 directories (d0/f000000, ...),
# made once with one head | split per directory (a process per file would take longer than the cases).
make_tree() {
    local dirs=$((FILES < 100 ? FILES : 100)) d n
    log "making the small-files tree: $FILES files of $FILE_BYTES bytes in $dirs directories"
    for ((d = 0; d < dirs; d++)); do
        n=$((FILES / dirs + (d < FILES % dirs ? 1 : 0)))
        mkdir -p "$TREE/d$d"
        head -c $((n * FILE_BYTES)) /dev/urandom | split -b "$FILE_BYTES" -d -a 6 - "$TREE/d$d/f"
    done
    # into the page cache, like the big file: the cases then measure per-file work, not the disk
    find "$TREE" -type f -exec cat {} + > /dev/null
}

# one line about a peer's version, or that it is missing (smoke mode runs without some of them)
version_of() {   # tool: prints its version
    command -v "$1" >/dev/null || { echo "$1: missing"; return 0; }
    case $1 in
        iperf3) iperf3 --version | head -1 ;;
        socat) socat -V | sed -n 2p | cut -d' ' -f1-3 ;;
        rsync) rsync --version | head -1 | tr -s ' ' ;;
        globus-url-copy) echo "globus-url-copy $(globus-url-copy -version 2>&1 | awk '{ print $2 }' | head -1)" ;;
        *) "$1" -version 2>&1 | head -1 ;;
    esac
}

print_machine() {
    echo "## Machine"
    echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "- cpus (nproc): $(nproc); memory: $(free -m | awk '/^Mem:/ { print $2 " MiB" }'); kernel: $(uname -r)"
    echo "- java: $("$JAVA" -version 2>&1 | sed -n 2p); node JVM options: $JAVA_OPTS"
    echo "- xfernode: $JAR_INFO; bench/ at commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "- $(version_of iperf3); $(version_of socat); $(version_of rsync)"
    echo "- $(version_of globus-url-copy); $(version_of globus-gridftp-server); $(python3 --version 2>&1 || echo 'python3: missing')"
    echo "- load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    local smoke=""
    [[ "$SMOKE" == 1 ]] && smoke="; SMOKE MODE (BENCH_SMOKE=1: sizes too small for the figures to mean much)"
    echo "- test file: $SIZE_MB MiB ($SIZE bytes) of random data in $W; small files: $FILES x $FILE_BYTES bytes;"\
         "$REPS repetitions, median; warm-up round: $WARMUP$smoke"
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
XF_A_HTTP="" XF_B_HTTP="" XF_A_BRIDGE="" XF_A_PID="" XF_B_PID=""
XF_A=bench-a XF_B=bench-b

NODE_HTTP="" NODE_BRIDGE="" NODE_PID=""
start_node() {   # id: starts it in the background, sets NODE_HTTP and NODE_BRIDGE (host:port) and NODE_PID
    local id=$1 line="" pid
    : > "$W/logs/$id.log"   # exists before the loop below reads it
    # In $W, so that nothing a node writes relative to its working directory lands in the caller's.
    # shellcheck disable=SC2086  # JAVA_OPTS is a list of options
    (cd "$W" && exec "$JAVA" $JAVA_OPTS -jar "$W/xfernode.jar" --node-id "$id" --cluster-config "$W/hazelcast.xml" \
        --conf "$W/node.yaml" --root data="$W/data" --root out="$OUT" \
        --bridge-port 0 --http-port 0 --data-port 0) > "$W/logs/$id.log" 2>&1 &
    pid=$!   # exec: the subshell became the JVM, so this is the node's own pid (for its RSS)
    track "$pid"
    for _ in $(seq 1200); do
        line=$(grep -m1 "node $id is up" "$W/logs/$id.log" || true)
        [[ -n "$line" ]] && break
        kill -0 "$pid" 2>/dev/null || die "node $id exited: $(tail -3 "$W/logs/$id.log")"
        sleep 0.1
    done
    [[ -n "$line" ]] || die "node $id did not come up in 120 s (see $W/logs/$id.log)"
    # "node <id> is up: event-bus bridge on HOST:PORT, HTTP on HOST:PORT, data port on ..."
    NODE_HTTP=$(sed -E 's/.*HTTP on ([0-9.]+:[0-9]+).*/\1/' <<<"$line")
    NODE_BRIDGE=$(sed -E 's/.*event-bus bridge on ([0-9.]+:[0-9]+).*/\1/' <<<"$line")
    NODE_PID=$pid
}

start_nodes() {
    local cfg="$REPO/cluster-config/src/main/resources/xfernode/hazelcast-default.xml" n
    [[ -f "$cfg" ]] || die "missing $cfg"
    sed "s|<cluster-name>[^<]*</cluster-name>|<cluster-name>xfernode-bench-$$</cluster-name>|" "$cfg" > "$W/hazelcast.xml"
    # No pool of our own: every cross-node case without hop "direct" goes over the pool "default", as
    # shipped. The nodes' state (the partial-file journal) stays in $W, not in ./xfer-state. Node a
    # controls every transfer, and the fairness case runs BENCH_FAIR_N at once: more than the shipped
    # limits.maxTransfers (64) would be refused with 429.
    printf 'state: {dir: "%s"}\nlimits: {maxTransfers: %d}\n' \
        "$W/state" $((FAIR_N + 16 > 64 ? FAIR_N + 16 : 64)) > "$W/node.yaml"
    log "starting xfernode nodes $XF_A and $XF_B ($JAVA_OPTS)"
    start_node "$XF_A"; XF_A_HTTP=$NODE_HTTP; XF_A_BRIDGE=$NODE_BRIDGE; XF_A_PID=$NODE_PID
    start_node "$XF_B"; XF_B_HTTP=$NODE_HTTP; XF_B_PID=$NODE_PID
    for _ in $(seq 300); do
        n=$(curl -sS "http://$XF_A_HTTP/api/nodes" | jq '.nodes | length')
        [[ "$n" == 2 ]] && break
        sleep 0.1
    done
    [[ "$n" == 2 ]] || die "the two nodes did not form one cluster in 30 s"
    log "nodes up: $XF_A http://$XF_A_HTTP (bridge $XF_A_BRIDGE), $XF_B http://$XF_B_HTTP"
}

# A node is a long-running service, and a fresh JVM's JIT compiles for a minute or more after the start
# (Hazelcast, Vert.x, Jackson, ours): on 2 cores that takes a large share of the CPU from the transfers
# (the compiler threads had 39 % of all CPU samples 50 s into a latency run). So before the first round
# the nodes work for NODE_WARMUP seconds, measured by nothing: batches of the latency loop through the
# bridge, and the test file from a to b over the default pool, into null and into a file. The per-case
# warm-up round comes after, as for every other tool.
warm_nodes() {
    ((NODE_WARMUP > 0)) || return 0
    log "warming the nodes up for $NODE_WARMUP s (nothing measured)"
    local end=$(($(date +%s) + NODE_WARMUP)) i=0
    while (($(date +%s) < end)); do
        i=$((i + 1))
        bridge_helper latency --n 100 --inflight 16 --id-prefix "nodewarm-$i-$$" > /dev/null ||
            log "node warm-up: a latency batch did not end DONE"
        # shellcheck disable=SC2317  # record is called by xf_run
        (
            ROUND="nodewarm-$i"
            record() { :; }
            xf_run nodewarm-null '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
                "sink": {"type": "null", "node": "'$XF_B'"}}'
            xf_run nodewarm-file '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
                "sink": {"type": "file", "node": "'$XF_B'", "path": "out/nodewarm.bin", "overwrite": true}}'
            xf_run nodewarm-pattern '{"source": {"type": "pattern", "node": "'$XF_A'", "length": '$SIZE'},
                "sink": {"type": "null", "node": "'$XF_B'"}}'
        ) || log "node warm-up: a transfer did not end DONE"
    done
    rm -f "$OUT/nodewarm.bin"
    log "node warm-up done: $i rounds"
}

# ---------------------------------------------------------------------------------------------------
# Cases. Each one runs a single repetition and calls `record CASE BYTES SECONDS [ENGINE_SECONDS]`
# (the control-plane cases call `control CASE METRIC VALUE` instead).
# They run in a subshell with `set -e`, so any failing command fails the case (not the whole run).

ROUND=""   # "warmup" or the repetition number; set by run_round
record() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$ROUND" "$2" "$3" "${4:--}" >> "$W/results.tsv"; }
control() { printf '%s\t%s\t%s\t%s\n' "$1" "$ROUND" "$2" "$3" >> "$W/control.tsv"; }

# In the warm-up round, check that an output is a faithful copy of the test file.
check_copy() {
    [[ "$ROUND" == warmup ]] || return 0
    cmp -s "$SRC" "$1" || { log "$1 differs from the test file"; return 1; }
}

# In the warm-up round, check that an output tree holds exactly the files of the test tree, byte for byte
# (diff -r also reports a file or directory that only one side has).
check_tree() {
    [[ "$ROUND" == warmup ]] || return 0
    diff -r "$TREE" "$1" > "$W/tmp/tree.diff" 2>&1 ||
        { log "$1 differs from the test tree: $(head -3 "$W/tmp/tree.diff")"; return 1; }
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

# globus-url-copy FLAGS... -- DEST-PATH: the test file to the GridFTP server's DEST-PATH
gridftp_put() {
    local -a flags=()
    while [[ $1 != -- ]]; do flags+=("$1"); shift; done
    globus-url-copy "${flags[@]}" "file://$SRC" "ftp://127.0.0.1:$GRIDFTP_PORT$2"
}

case_gridftp() {
    local s
    [[ -z "$GRIDFTP_SKIP" ]] || return 1
    rm -f "$OUT/gridftp.bin"
    s=$(timed gridftp_put -- "$OUT/gridftp.bin")
    record gridftp "$SIZE" "$s"
    check_copy "$OUT/gridftp.bin"
}

# -fast is what Globus recommends against a GridFTP server: extended block mode (MODE E) with data
# channels kept for reuse, instead of stream mode. The plain case stays for continuity with older runs.
case_gridftp_fast() {
    local s
    [[ -z "$GRIDFTP_SKIP" ]] || return 1
    rm -f "$OUT/gridftp-fast.bin"
    s=$(timed gridftp_put -fast -- "$OUT/gridftp-fast.bin")
    record gridftp_fast "$SIZE" "$s"
    check_copy "$OUT/gridftp-fast.bin"
}

# The server writes into its /dev/null: the peer of xfernode's file -> null across nodes (no file is
# written on the receiving side, so nothing to check but the exit status).
case_gridftp_null() {
    local s
    [[ -z "$GRIDFTP_SKIP" ]] || return 1
    s=$(timed gridftp_put -fast -- /dev/null)
    record gridftp_null "$SIZE" "$s"
}

# Submit a transfer to node a over HTTP, wait for its final state, record both throughputs:
# wall-clock (submit until we know it is DONE) and engine (bytes / (endedAt - startedAt)).
# EXPECTED (default: the test file's size) is the `bytes` the status must show; for a tree that is the
# sum of its files' sizes (the stream's own headers are not counted in it).
xf_run() {   # case spec-json-without-id [expected-bytes]
    local name=$1 id="$1-$ROUND-$$" expected=${3:-$SIZE} spec code t0 t1 state status
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
    [[ "$bytes" == "$expected" ]] || { log "$name: $bytes bytes moved, expected $expected"; return 1; }
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

# What a checksum and options.verify cost (issue: "document its cost"): the copy of (a) with a sha256 of
# the stream, then with the sink reading the written file back and comparing it before the rename.
case_xf_file_sum() {
    rm -f "$OUT/xf-sum.bin"
    xf_run xf_file_sum '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_A'", "path": "out/xf-sum.bin", "overwrite": true},
        "options": {"checksum": "sha256"}}'
    check_copy "$OUT/xf-sum.bin"
}

case_xf_file_verify() {
    rm -f "$OUT/xf-verify.bin"
    xf_run xf_file_verify '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_A'", "path": "out/xf-verify.bin", "overwrite": true},
        "options": {"checksum": "sha256", "verify": true}}'
    check_copy "$OUT/xf-verify.bin"
}

case_xf_file_null() {
    xf_run xf_file_null '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "null", "node": "'$XF_A'"}}'
}

# (c) over the old direct hop (a TCP connection of the transfer's own): the "direct" the pool cases
# below are compared with.
case_xf_cross_file() {
    rm -f "$OUT/xf-cross.bin"
    xf_run xf_cross_file '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_B'", "path": "out/xf-cross.bin", "overwrite": true},
        "options": {"hop": "direct"}}'
    check_copy "$OUT/xf-cross.bin"
}

# (c) as a user now gets it: no hop and no pool option, so the pool "default", in N streams.
xf_pool_file() {   # streams
    rm -f "$OUT/xf-pool-$1.bin"
    xf_run "xf_pool_file_$1" '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "file", "node": "'$XF_B'", "path": "out/xf-pool-'$1'.bin", "overwrite": true},
        "options": {"streams": '$1'}}'
    check_copy "$OUT/xf-pool-$1.bin"
}
case_xf_pool_file_1() { xf_pool_file 1; }
case_xf_pool_file_4() { xf_pool_file 4; }

# file -> null across nodes over the default pool: (c) without the write on node b; its peer is
# gridftp_null.
case_xf_cross_null() {
    xf_run xf_cross_null '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/bench.bin"},
        "sink": {"type": "null", "node": "'$XF_B'"}}'
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

# The pool's own cost, with no file on either side: one stream over the default pool, next to iperf3's
# one stream and to the direct hop's xf_cross_pattern.
case_xf_pool_pattern_1() {
    xf_run xf_pool_pattern_1 '{"source": {"type": "pattern", "node": "'$XF_A'", "length": '$SIZE'},
        "sink": {"type": "null", "node": "'$XF_B'"}, "options": {"streams": 1}}'
}

# Small files. Every tree case copies the whole test tree into a directory that does not exist yet;
# the bytes recorded are the files' payload, so MB/s compare across tools.
case_cp_r() {
    local s
    rm -rf "$OUT/cp-tree"
    s=$(timed cp -r "$TREE" "$OUT/cp-tree")
    record cp_r "$TREE_BYTES" "$s"
    check_tree "$OUT/cp-tree"
}

# the trailing slash: the tree's contents go into rsync-tree/, which rsync creates
case_rsync_r() {
    local s
    rm -rf "$OUT/rsync-tree"
    s=$(timed rsync -r --whole-file "$TREE/" "rsync://127.0.0.1:$RSYNC_PORT/bench/rsync-tree/")
    record rsync_r "$TREE_BYTES" "$s"
    check_tree "$OUT/rsync-tree"
}

# GridFTP's own answer to many small files: -pp pipelines the commands of one connection, -cc 4 runs
# four of them, -cd creates the directories.
case_gridftp_r() {
    local s
    [[ -z "$GRIDFTP_SKIP" ]] || return 1
    rm -rf "$OUT/gridftp-tree"
    s=$(timed globus-url-copy -cd -r -fast -pp -cc 4 "file://$TREE/" "ftp://127.0.0.1:$GRIDFTP_PORT$OUT/gridftp-tree/")
    record gridftp_r "$TREE_BYTES" "$s"
    check_tree "$OUT/gridftp-tree"
}

# A recursive file source sends the tree as one stream; the file sink on node b unpacks it (the engine
# sets the sink's `tree` itself).
case_xf_tree() {
    rm -rf "$OUT/xf-tree"
    xf_run xf_tree '{"source": {"type": "file", "node": "'$XF_A'", "path": "data/tree", "recursive": true},
        "sink": {"type": "file", "node": "'$XF_B'", "path": "out/xf-tree"}}' "$TREE_BYTES"
    check_tree "$OUT/xf-tree"
}

# The control plane, through node a's TCP bridge with clients/python/xfernode_bridge.py (bench/latency.py):
# how long a tiny transfer takes from submit to its final status, and how many a client gets through
# with BENCH_LAT_INFLIGHT in flight.
bridge_helper() {   # subcommand args...: runs bench/latency.py against node a, prints its JSON line
    # a transfer with no event for this long counts as stuck (smoke: soon, to stay within the test's time)
    PYTHONDONTWRITEBYTECODE=1 python3 "$REPO/bench/latency.py" --host "${XF_A_BRIDGE%:*}" \
        --port "${XF_A_BRIDGE##*:}" --timeout "$(smoke_or 20 120)" \
        "$1" --source-node "$XF_A" --sink-node "$XF_B" "${@:2}"
}

case_xf_latency() {
    local json rc=0
    json=$(bridge_helper latency --n "$LAT_N" --inflight "$LAT_INFLIGHT" --id-prefix "xf_latency-$ROUND-$$") || rc=$?
    [[ -n "$json" ]] || { log "xf_latency: no result (exit $rc)"; return 1; }
    control xf_latency p50_ms "$(jq .p50_ms <<<"$json")"
    control xf_latency p99_ms "$(jq .p99_ms <<<"$json")"
    control xf_latency per_s "$(jq .transfers_per_s <<<"$json")"
    [[ $rc -eq 0 ]] || { log "xf_latency: not every transfer ended DONE: $(jq -c .not_done <<<"$json")"; return 1; }
}

# Fairness: BENCH_FAIR_N transfers of BENCH_FAIR_MB of the test file -> null on node b, released at once
# over the default pool; every one must end DONE, and the spread of their durations (endedAt - startedAt
# of each) says how evenly the pool shared its connections.
case_xf_fair() {
    local json rc=0
    json=$(bridge_helper fair --n "$FAIR_N" --path data/bench.bin --length "$FAIR_BYTES" \
        --id-prefix "xf_fair-$ROUND-$$") || rc=$?
    [[ -n "$json" ]] || { log "xf_fair: no result (exit $rc)"; return 1; }
    control xf_fair done "$(jq .done <<<"$json")"
    control xf_fair min_s "$(jq -r '.min_s // "n/a"' <<<"$json")"
    control xf_fair max_s "$(jq -r '.max_s // "n/a"' <<<"$json")"
    control xf_fair mbps "$(jq '.bytes / .wall_s / 1e6' <<<"$json")"
    [[ $rc -eq 0 ]] || { log "xf_fair: not every transfer ended DONE: $(jq -c .not_done <<<"$json")"; return 1; }
}

# id | group | what it does | the limit it is compared with | its twin ("x twin": the one case that
# tells most about it, e.g. pool vs direct; - for none)
CASES=(
    "iperf3|limit|iperf3 -c 127.0.0.1 -t $IPERF_SECONDS, 1 stream (memory to memory over loopback)|iperf3|-"
    "cat|limit|cat file > /dev/null (page cache)|cat|-"
    "cp|limit|cp file copy|cp|-"
    "socat|peer|socat file -> loopback TCP -> socat file|cp|-"
    "rsync|peer|rsync --whole-file file rsync://127.0.0.1/ (daemon)|cp|-"
    "gridftp|peer|globus-url-copy file:/// ftp://127.0.0.1/ (anonymous, stream mode)|cp|-"
    "gridftp_fast|peer|globus-url-copy -fast file:/// ftp://127.0.0.1/ (MODE E)|cp|gridftp"
    "gridftp_null|peer|globus-url-copy -fast file:/// ftp://127.0.0.1/dev/null|iperf3|gridftp_fast"
    "xf_file_file|xfernode|(a) file -> file, one node|cp|-"
    "xf_file_sum|xfernode|(a) with options.checksum sha256|cp|xf_file_file"
    "xf_file_verify|xfernode|(a) with checksum sha256 and options.verify (the file read back)|cp|xf_file_sum"
    "xf_file_null|xfernode|(b) file -> null, one node|cat|-"
    "xf_cross_file|xfernode|(c) file on node a -> file on node b, hop direct|cp|-"
    "xf_pool_file_1|xfernode|(c) over the default pool (no hop option), 1 stream|cp|xf_cross_file"
    "xf_pool_file_4|xfernode|(c) over the default pool (no hop option), 4 streams|cp|xf_cross_file"
    "xf_cross_null|xfernode|file on node a -> null on node b, default pool|iperf3|gridftp_null"
    "xf_cross_random|xfernode|(d) random on node a -> null on node b, hop direct|iperf3|-"
    "xf_cross_pattern|xfernode|(e, extra) pattern on node a -> null on node b, hop direct|iperf3|-"
    "xf_pool_pattern_1|xfernode|pattern on node a -> null on node b, default pool, 1 stream|iperf3|xf_cross_pattern"
    "cp_r|tree|cp -r tree out/|cp_r|-"
    "rsync_r|tree|rsync -r --whole-file tree/ rsync://127.0.0.1/ (daemon)|cp_r|-"
    "gridftp_r|tree|globus-url-copy -cd -r -fast -pp -cc 4 file:///tree/ ftp://127.0.0.1/|cp_r|-"
    "xf_tree|tree|recursive file source on node a -> file sink on node b, default pool|cp_r|-"
    "xf_latency|control|1 KiB random on node a -> null on node b, default pool, through the TCP bridge|-|-"
    "xf_fair|control|concurrent transfers of the test file's start on node a -> null on node b, default pool|-|-"
)

# The order the cases run in, within a round (the tables keep the order above). On the machine this was
# written on (a VM), a write into the page cache runs faster right after another large file was
# deleted than after a few seconds without one; so cp runs right after gridftp and the xfernode
# file -> file case right after cp: the two that "x cp" compares start from the same state. Likewise
# each pool file -> file case follows another file -> file case. The control-plane cases run last, so
# that their hundreds of transfers do not stand between the throughput cases.
RUN_ORDER="iperf3 cat gridftp_null socat rsync gridftp_fast gridftp cp xf_file_file xf_file_sum xf_file_verify
           xf_file_null xf_cross_file
           xf_pool_file_1 xf_pool_file_4 xf_cross_null xf_cross_random xf_cross_pattern xf_pool_pattern_1
           cp_r rsync_r gridftp_r xf_tree xf_latency xf_fair"

selected() { [[ -z "${BENCH_CASES:-}" || " $BENCH_CASES " == *" $1 "* ]]; }

case_group() {   # id: its group in CASES
    local c
    for c in "${CASES[@]}"; do
        [[ "${c%%|*}" == "$1" ]] && { cut -d'|' -f2 <<<"$c"; return 0; }
    done
}

# One progress line per case on stderr, in the unit of its group.
summarize() {   # id
    case $(case_group "$1") in
        tree) tail -1 "$W/results.tsv" | awk -F'\t' -v f="$FILES" '{ printf "  %s: %.0f files/s, %.1f MB/s\n", $1, f / $4, $3 / $4 / 1e6 }' >&2 ;;
        control) awk -F'\t' -v c="$1" -v r="$ROUND" '$1 == c && $2 == r { s = s sprintf(" %s=%.4g", $3, $4) }
                     END { printf "  %s:%s\n", c, s }' "$W/control.tsv" >&2 ;;
        *) tail -1 "$W/results.tsv" | awk -F'\t' '{ printf "  %s: %.1f MB/s\n", $1, $3 / $4 / 1e6 }' >&2 ;;
    esac
}

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
        summarize "$id"
    fi
    # outputs were written to the page cache: flush them outside the timed part, so that
    # writeback does not land in the next case
    rm -rf "$OUT"/*.bin "$OUT"/*-tree
    sync
}

# Repetitions go round-robin over the cases (in RUN_ORDER), so that a noisy minute on this shared machine is spread
# over all cases instead of falling on one.
run_round() {
    ROUND=$1
    log "round $ROUND"
    local c
    for c in $RUN_ORDER; do
        if wanted "$c"; then run_case "$c"; fi
    done
}

# ---------------------------------------------------------------------------------------------------
# The tables: medians per case over the measured rounds; ratios are this case / the other.

# awk functions shared by the tables
AWK_LIB='
    function median(list,   n, a, i, j, t) {
        n = split(list, a, " ")
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
        if (n == 0) return ""
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function ratio(x, y) { return (x == "" || y == "" || x == "n/a" || y == "n/a" || y + 0 == 0) ? "n/a" : sprintf("%.2f", x / y) }
    function runs(list, nfailed,   all, k, out) {   # every measured value, then how many FAILED
        split(list, all, " ")
        for (k = 1; k in all; k++) out = out (out == "" ? "" : " ") sprintf("%.0f", all[k])
        if (nfailed) out = out (out == "" ? "" : " ") nfailed "xFAILED"
        return out
    }
'

print_table() {   # MB/s of every case that is neither a tree nor a control-plane case
    echo "## Results (MB/s = 10^6 bytes/s, median of $REPS; ratio = this case / the other, >1 is faster)"
    echo
    awk -F'\t' "$AWK_LIB"'
        FNR == NR { split($0, f, "|"); order[++n] = f[1]; group[f[1]] = f[2]; what[f[1]] = f[3]; lim[f[1]] = f[4]; twin[f[1]] = f[5]; next }
        $2 == "warmup" { next }
        $3 == "FAILED" { failed[$1]++; next }
        { rates[$1] = rates[$1] " " $3 / $4 / 1e6
          if ($5 != "-" && $5 > 0) eng[$1] = eng[$1] " " $3 / $5 / 1e6 }
        END {
            for (i = 1; i <= n; i++) { c = order[i]; m[c] = median(rates[c]); e[c] = median(eng[c]) }
            printf "| case | what | MB/s wall | MB/s engine | runs | limit | x limit | twin | x twin | x socat | x rsync | x gridftp | x gridftp_fast |\n"
            printf "|---|---|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|\n"
            for (i = 1; i <= n; i++) {
                c = order[i]
                if (group[c] == "tree" || group[c] == "control") continue
                if (rates[c] == "" && !failed[c]) continue   # not selected, or skipped
                t = twin[c]
                printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, what[c],
                    m[c] == "" ? "n/a" : sprintf("%.0f", m[c]), e[c] == "" ? "" : sprintf("%.0f", e[c]),
                    runs(rates[c], failed[c]), lim[c], ratio(m[c], m[lim[c]]), t, t == "-" ? "" : ratio(m[c], m[t]),
                    ratio(m[c], m["socat"]), ratio(m[c], m["rsync"]), ratio(m[c], m["gridftp"]), ratio(m[c], m["gridftp_fast"])
            }
        }' "$W/cases.txt" "$W/results.tsv"
    echo
    echo "MB/s wall: bytes / wall-clock time of the whole command (for xfernode: HTTP submit until the"
    echo "final state is known). MB/s engine: bytes / (endedAt - startedAt) from the transfer status."
    echo "Ratios use the wall figures. limit: cp for file copies, cat for file -> null on one node, iperf3"
    echo "for the rest (bytes that cross a socket and land in no file). twin: the case it is best read"
    echo "against (a pool case: the same transfer over the direct hop; xf_cross_null: GridFTP into /dev/null)."
}

print_tree_table() {   # files/s and MB/s of the small-files cases, each against the others
    grep -q $'^\(cp_r\|rsync_r\|gridftp_r\|xf_tree\)\t' "$W/results.tsv" || return 0
    echo
    echo "## Small files ($FILES files of $FILE_BYTES bytes in $((FILES < 100 ? FILES : 100)) directories; median of $REPS; ratio of files/s, >1 is faster)"
    echo
    awk -F'\t' -v files="$FILES" "$AWK_LIB"'
        FNR == NR { split($0, f, "|"); if (f[2] == "tree") { order[++n] = f[1]; what[f[1]] = f[3] }; next }
        $2 == "warmup" { next }
        $3 == "FAILED" { failed[$1]++; next }
        { fps[$1] = fps[$1] " " files / $4; mbs[$1] = mbs[$1] " " $3 / $4 / 1e6 }
        END {
            for (i = 1; i <= n; i++) { c = order[i]; m[c] = median(fps[c]); b[c] = median(mbs[c]) }
            printf "| case | what | files/s | MB/s | runs (files/s) | x cp_r | x rsync_r | x gridftp_r |\n"
            printf "|---|---|---:|---:|---|---:|---:|---:|\n"
            for (i = 1; i <= n; i++) {
                c = order[i]
                if (fps[c] == "" && !failed[c]) continue
                printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", c, what[c],
                    m[c] == "" ? "n/a" : sprintf("%.0f", m[c]), b[c] == "" ? "n/a" : sprintf("%.1f", b[c]),
                    runs(fps[c], failed[c]), ratio(m[c], m["cp_r"]), ratio(m[c], m["rsync_r"]), ratio(m[c], m["gridftp_r"])
            }
        }' "$W/cases.txt" "$W/results.tsv"
    echo
    echo "Each case copies the whole tree into a new directory; MB/s counts the files' bytes only. xf_tree"
    echo "crosses from node a to node b, the others stay on this host (rsync and GridFTP through loopback)."
}

print_control_table() {   # the bridge's latency and the fairness case
    grep -q $'^\(xf_latency\|xf_fair\)\t' "$W/results.tsv" "$W/control.tsv" || return 0
    echo
    echo "## Control plane, through node a's TCP bridge (median of $REPS)"
    echo
    awk -F'\t' -v latn="$LAT_N" -v inflight="$LAT_INFLIGHT" -v fairn="$FAIR_N" -v fairmb="$FAIR_MB" "$AWK_LIB"'
        FILENAME ~ /results.tsv$/ { if ($2 != "warmup" && $3 == "FAILED") failed[$1]++; next }
        $2 == "warmup" { next }
        { v[$1, $3] = v[$1, $3] " " $4; seen[$1] = 1 }
        # the median of a metric over the measured rounds, formatted; n/a when no round produced it
        function med(c, k, fmt,   x) { x = median(v[c, k]); return (x == "" || x == "n/a") ? "n/a" : sprintf(fmt, x) }
        function fail(c) { return failed[c] ? sprintf(" (%d round(s) FAILED)", failed[c]) : "" }
        END {
            printf "| case | what | result |\n|---|---|---|\n"
            if (seen["xf_latency"] || failed["xf_latency"])
                printf "| xf_latency | %d transfers of 1 KiB, one at a time, then %d with %d in flight | p50 %s ms, p99 %s ms; %s transfers/s%s |\n",
                    latn, latn, inflight, med("xf_latency", "p50_ms", "%.1f"), med("xf_latency", "p99_ms", "%.1f"),
                    med("xf_latency", "per_s", "%.0f"), fail("xf_latency")
            if (seen["xf_fair"] || failed["xf_fair"])
                printf "| xf_fair | %d transfers of %d MiB at once | %s of %d DONE; duration min %s s, max %s s (max/min %s); %s MB/s together%s |\n",
                    fairn, fairmb, med("xf_fair", "done", "%d"), fairn, med("xf_fair", "min_s", "%.2f"), med("xf_fair", "max_s", "%.2f"),
                    ratio(median(v["xf_fair", "max_s"]), median(v["xf_fair", "min_s"])), med("xf_fair", "mbps", "%.0f"), fail("xf_fair")
        }' "$W/results.tsv" "$W/control.tsv"
    echo
    echo "Latency: from just before the client submits (Bridge.run: subscribe to xfer.events.<id>, send to"
    echo "xfer.submit) until it holds the final status (after the final state event, from xfer.status); p99"
    echo "is the nearest rank. Fairness: each duration is endedAt - startedAt from the transfer's own status."
}

# Peak resident memory of each node (the kernel's high-water mark), against what a node may use.
print_rss() {
    [[ -n "$XF_A_PID" ]] || return 0
    echo
    echo "## Memory (node JVM options: $JAVA_OPTS)"
    echo
    echo "| node | peak RSS (VmHWM) | limit | |"
    echo "|---|---:|---:|---|"
    local id pid kb
    for id in "$XF_A:$XF_A_PID" "$XF_B:$XF_B_PID"; do
        pid=${id#*:}
        kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        if [[ -z "$kb" ]]; then
            echo "| ${id%%:*} | n/a (the node exited: see its log) | $RSS_LIMIT_MIB MiB | |"
        else
            awk -v n="${id%%:*}" -v kb="$kb" -v lim="$RSS_LIMIT_MIB" \
                'BEGIN { printf "| %s | %.0f MiB | %d MiB | %s |\n", n, kb / 1024, lim, (kb / 1024 > lim) ? "OVER THE LIMIT" : "within" }'
        fi
    done
}

print_skipped() {
    [[ -n "$SKIPPED" ]] || return 0
    echo
    echo "Skipped (smoke mode installs nothing):$SKIPPED"
}

main() {
    local c failed
    for c in "${CASES[@]}"; do
        [[ " $(echo $RUN_ORDER) " == *" ${c%%|*} "* ]] || die "case ${c%%|*} is missing from RUN_ORDER"
    done
    if [[ "$SMOKE" == 1 ]]; then skip_missing_tools; else install_missing; fi
    ensure_jar
    make_workdir
    printf '%s\n' "${CASES[@]}" > "$W/cases.txt"
    log "work directory: $W"
    if any_wanted xf_fair && ((FAIR_BYTES > SIZE)); then die "BENCH_FAIR_MB ($FAIR_MB) exceeds BENCH_SIZE_MB ($SIZE_MB)"; fi
    make_test_file
    if any_wanted cp_r rsync_r gridftp_r xf_tree; then make_tree; fi
    if wanted iperf3; then start_iperf3; fi
    if any_wanted rsync rsync_r; then start_rsyncd; fi
    if any_wanted gridftp gridftp_fast gridftp_null gridftp_r; then start_gridftp; fi
    if any_xf_wanted; then start_nodes; warm_nodes; fi
    [[ "$WARMUP" == 1 ]] && run_round warmup
    local r
    for r in $(seq "$REPS"); do run_round "$r"; done
    [[ -z "${BENCH_RESULTS:-}" ]] || cp "$W/results.tsv" "$BENCH_RESULTS"
    echo
    print_machine
    print_table
    [[ -z "$GRIDFTP_SKIP" ]] || echo "gridftp: not measured: $GRIDFTP_SKIP"
    print_tree_table
    print_control_table
    print_rss
    print_skipped
    log "done in $(($(date +%s) - STARTED)) s"
    # the test suite runs the smoke mode: a failed case must fail it (a full run reports FAILED in the
    # tables and goes on, as it always did)
    failed=$(awk -F'\t' '$3 == "FAILED" { print $1 "(" $2 ")" }' "$W/results.tsv" | tr '\n' ' ')
    if [[ "$SMOKE" == 1 && -n "$failed" ]]; then die "failed: $failed"; fi
}

main "$@"
