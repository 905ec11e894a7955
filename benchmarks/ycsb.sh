#!/usr/bin/env bash
# YCSB side by side: three ringkv nodes from the unpacked distribution (N=3 R=2 W=2, log engine,
# storage.sync=batch, an lww bucket) and one local redis-server (appendonly yes, appendfsync
# everysec), the same YCSB core (site.ycsb 0.17), records, threads and duration (issue 11).
#   load 100 000 records of 1 KiB; then workloads A, B, C for --duration each with both routings
#   (PARTITION_AWARE, ANY_NODE); then the same against Redis through our Jedis binding.
# Prints one table: throughput, p50/p95/p99/p99.9 per operation, CPU per operation summed over
# the server processes (from /proc) and the YCSB client's, and ringkv/Redis ratios. Stops all it
# started. Installs redis-server (Debian package) if it is missing.
# After the load, an untimed warm-up (--warmup seconds of workload A, any node) lets the nodes'
# JIT compile the read, update and forwarding paths: without it a 60 s run spent a third of the
# nodes' CPU in C2. The table shows the compiler threads' share of the server CPU of each run.
# Usage: benchmarks/ycsb.sh [--duration 60] [--warmup 60] [--threads 16] [--records 100000]
#                           [--workloads "a b c"] [--routings "PARTITION_AWARE ANY_NODE"]
#                           [--redis-fsync everysec]
# --redis-fsync always: Redis fsyncs its AOF before it answers (as durable as storage.sync=batch);
# the issue's comparison, and the default, is everysec.
# RINGKV_JAVA_OPTS reaches the nodes, YCSB_JAVA_OPTS the YCSB client JVMs (a profiler agent, say).
# NODE_CONFIG: lines for each node's ringkv.properties, each replacing its key's line, to measure
# what a setting costs, e.g. NODE_CONFIG=$'storage.engine = memory' (not RINGKV_...: the nodes
# read such variables as settings).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DURATION=60
WARMUP=60
THREADS=16
RECORDS=100000
WORKLOADS="a b c"
ROUTINGS="PARTITION_AWARE ANY_NODE"
REDIS_FSYNC=everysec
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) DURATION=${2%s}; shift 2 ;;
    --warmup) WARMUP=${2%s}; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --routings) ROUTINGS=$2; shift 2 ;;
    --redis-fsync) REDIS_FSYNC=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$REDIS_FSYNC" in
  everysec|always|no) ;;
  *) echo "--redis-fsync takes everysec, always or no, not $REDIS_FSYNC" >&2; exit 2 ;;
esac

BINDING=benchmarks/ycsb-binding/target
[ -d "$BINDING/lib" ] || mvn -B -q -DskipTests package
if ! command -v redis-server > /dev/null; then
  echo "installing redis-server (Debian package)" >&2
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server > /dev/null
fi
. benchmarks/cluster.sh
unpack_distribution ycsb
if on_tmpfs "$WORK"; then
  echo "warning: $WORK is on tmpfs, so the nodes' fsyncs cost nothing; set TMPDIR to a folder" \
    "on a disk to measure storage.sync=batch" >&2
fi
ring_settled() {
  for p in 8501 8502 8503; do
    curl -s "http://127.0.0.1:$p/metrics" | grep -q '^ringkv_ring_pending_version 0.0' || return 1
    curl -s "http://127.0.0.1:$p/cluster/ring" | grep -q '"n3"' || return 1
  done
}
cpu_ticks() { # pids...: user + system clock ticks of the processes
  local sum=0
  for p in "$@"; do
    sum=$(( sum + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$sum"
}
jit_ticks() { # pids...: user + system clock ticks of the processes' JIT compiler threads
  local sum=0 t
  for p in "$@"; do
    for t in /proc/"$p"/task/*; do
      if grep -q Compiler "$t/comm" 2>/dev/null; then
        # the thread's name ("C2 CompilerThre") holds a space: count fields after its ")"
        sum=$(( sum + $(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0) ))
      fi
    done
  done
  echo "$sum"
}
TICKS=$(getconf CLK_TCK)
CP="$ROOT/$BINDING/classes:$ROOT/$BINDING/lib/*"
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
ycsb() { # label db phase(load|run) workload server-pids -- extra -p options...
  local label=$1 db=$2 phase=$3 workload=$4 pids=$5; shift 6
  local before after out="$WORK/$label.out" flag
  flag=$([ "$phase" = load ] && echo -load || echo -t)
  before=$(cpu_ticks $pids)
  local jit_before
  jit_before=$(jit_ticks $pids)
  java -Xms1g -Xmx1g ${YCSB_JAVA_OPTS:-} -cp "$CP" site.ycsb.Client "$flag" -db "$db" \
    -P "$ROOT/benchmarks/ycsb/workload$workload" -threads "$THREADS" \
    -p recordcount="$RECORDS" -p maxexecutiontime="$DURATION" "$@" > "$out" 2> "$WORK/$label.err" &
  local client=$!
  local client_ticks=0
  while kill -0 "$client" 2>/dev/null; do
    client_ticks=$(awk '{print $14 + $15}' "/proc/$client/stat" 2>/dev/null || echo "$client_ticks")
    sleep 1
  done
  wait "$client" || { echo "YCSB $label failed:" >&2; tail -20 "$WORK/$label.err" >&2; exit 1; }
  after=$(cpu_ticks $pids)
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$(( after - before ))" "$client_ticks" "$out" \
    "$(( $(jit_ticks $pids) - jit_before ))" >> "$RESULTS"
}

override_config() { # file: each line of NODE_CONFIG replaces its key's line in the file
  local line key
  while IFS= read -r line; do
    [ -n "${line//[[:space:]]/}" ] || continue
    key=$(printf '%s' "${line%%[=:]*}" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    awk -v k="$key" '{ l = $0; sub(/^[ \t]+/, "", l); split(l, kv, /[ \t]*[=:]/) }
      kv[1] != k' "$1" > "$1.tmp"
    mv "$1.tmp" "$1"
    printf '%s\n' "$line" >> "$1"
  done <<< "${NODE_CONFIG:-}"
}

for i in 1 2 3; do
  echo "bucket.usertable.resolver = lww" | node_config "$i" 7500 8500 8600
  override_config "$WORK/n$i/ringkv.properties"
  start_node "$i"
  [ "$i" = 1 ] && sleep 2
done
wait_for 120 "a ring of three nodes" ring_settled
NODES="${PID[1]} ${PID[2]} ${PID[3]}"
SEEDS=127.0.0.1:8601,127.0.0.1:8602,127.0.0.1:8603
echo "three nodes up; loading $RECORDS records" >&2
ycsb ringkv-load io.ringkv.ycsb.RingkvDB load a "$NODES" -- -p ringkv.seeds=$SEEDS
if [ "$WARMUP" -gt 0 ]; then
  echo "warm-up: workload a, any node, for ${WARMUP}s (not reported)" >&2
  DURATION_RUN=$DURATION
  DURATION=$WARMUP
  ycsb ringkv-warmup io.ringkv.ycsb.RingkvDB run a "$NODES" -- -p ringkv.seeds=$SEEDS \
    -p ringkv.routing=ANY_NODE
  DURATION=$DURATION_RUN
fi
for routing in $ROUTINGS; do
  for w in $WORKLOADS; do
    echo "ringkv $routing workload $w for ${DURATION}s" >&2
    ycsb "ringkv-$routing-$w" io.ringkv.ycsb.RingkvDB run "$w" "$NODES" -- \
      -p ringkv.seeds=$SEEDS -p ringkv.routing="$routing"
  done
done
for i in 1 2 3; do kill "${PID[$i]}"; wait "${PID[$i]}" 2>/dev/null || true; unset "PID[$i]"; done

mkdir -p "$WORK/redis"
redis-server --port 6390 --bind 127.0.0.1 --dir "$WORK/redis" --appendonly yes \
  --appendfsync "$REDIS_FSYNC" --save '' > "$WORK/redis/out.log" 2>&1 &
PID[redis]=$!
wait_for 30 "redis-server" bash -c "exec 3<>/dev/tcp/127.0.0.1/6390" 2>/dev/null
echo "redis-server up; loading $RECORDS records" >&2
ycsb redis-load io.ringkv.ycsb.RedisDB load a "${PID[redis]}" -- -p redis.port=6390
for w in $WORKLOADS; do
  echo "redis workload $w for ${DURATION}s" >&2
  ycsb "redis-$w" io.ringkv.ycsb.RedisDB run "$w" "${PID[redis]}" -- -p redis.port=6390
done

python3 - "$RESULTS" "$TICKS" "$DURATION" "$THREADS" "$RECORDS" "${NODE_CONFIG:-}" \
    "$REDIS_FSYNC" <<'PY'
import sys, re
results, ticks, duration, threads, records, node_config, redis_fsync = \
    sys.argv[1], int(sys.argv[2]), *sys.argv[3:]
changed = "; ".join(l.strip() for l in node_config.splitlines() if l.strip())
rows = {}
for line in open(results):
    label, server, client, out, jit = line.rstrip("\n").split("\t")
    m = {}
    for l in open(out):
        parts = [p.strip() for p in l.split(",")]
        if len(parts) == 3 and parts[0].startswith("["):
            m[(parts[0].strip("[]"), parts[1])] = float(parts[2])
    rows[label] = (m, int(server) / ticks, int(client) / ticks, int(jit) / ticks)
print(f"YCSB 0.17, {records} records of 1 KiB, {threads} threads, {duration} s per run; "
      "ringkv: 3 nodes N=3 R=2 W=2, log engine, storage.sync=batch, blind updates on lww"
      + (f" (NODE_CONFIG: {changed})" if changed else "") + "; "
      f"redis: appendonly yes, appendfsync {redis_fsync}. Latencies in ms; CPU in ms per operation; "
      "jit: the nodes' JIT compiler threads' share of the server CPU")
print(f"{'run':<28}{'ops/s':>9}{'vs redis':>9}{'op':>8}{'p50':>8}{'p95':>8}{'p99':>8}"
      f"{'p99.9':>8}{'srv cpu':>9}{'cli cpu':>9}{'jit':>6}")
def redis_of(label):
    w = label.rsplit("-", 1)[-1]
    r = rows.get(f"redis-{w}")
    return r[0].get(("OVERALL", "Throughput(ops/sec)")) if r else None
for label, (m, server, client, jit) in rows.items():
    if label.endswith("-load") or label.endswith("-warmup"):
        continue
    tput = m.get(("OVERALL", "Throughput(ops/sec)"), 0.0)
    ops = sum(v for (op, k), v in m.items() if k == "Operations" and op in ("READ", "UPDATE"))
    red = redis_of(label)
    ratio = f"{tput / red * 100:7.1f}%" if red and not label.startswith("redis") else ""
    first = True
    for op in ("READ", "UPDATE"):
        if (op, "Operations") not in m:
            continue
        p = lambda q: m.get((op, f"{q}PercentileLatency(us)"), float("nan")) / 1000
        head = (f"{label:<28}{tput:>9.0f}{ratio:>9}" if first else f"{'':<28}{'':>9}{'':>9}")
        cpu = (f"{server * 1000 / ops:>9.3f}{client * 1000 / ops:>9.3f}"
               f"{(f'{jit / server * 100:5.0f}%' if server and not label.startswith('redis') else ''):>6}"
               if first and ops else "")
        print(f"{head}{op.lower():>8}{p('50th'):>8.2f}{p('95th'):>8.2f}{p('99th'):>8.2f}"
              f"{p('99.9'):>8.2f}{cpu}")
        errors = m.get((op, "Return=ERROR"))
        if errors:
            print(f"{'':<46}{int(errors)} {op.lower()} errors")
        first = False
PY
