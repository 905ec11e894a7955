#!/usr/bin/env bash
# The message floor (issue 11): three node processes and a load process exchange only the six
# messages of a quorum operation (N=3 R=2 W=2, 1 KiB values, half reads, half updates) over
# ringkv's Netty transport, with nothing else done; see MessageFloor.java and BENCHMARKS.md.
# Prints one line: ops/s, p50/p99 per operation, CPU per operation of the nodes and of the load.
# --durable: the durable floor; each node appends every update's copy to a file and acknowledges
# it only after a group fdatasync (at most one per 2 ms, as storage.sync=batch, or per
# -Dfloor.sync.interval.ms in FLOOR_JAVA_OPTS) covers it. The files go under TMPDIR (/tmp), which
# must be on a disk, not tmpfs; a default run writes about 1 GiB there.
# --any-node: two operations in three go to a node that forwards them to a coordinator, as
# ANY_NODE routing (eight messages instead of six).
# Usage: benchmarks/floor.sh [--duration 60] [--warmup 20] [--threads 16] [--durable] [--any-node]
# FLOOR_JAVA_OPTS reaches all four JVMs (-Dio.netty.transport.noNative=true for NIO, say).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=60 WARMUP=20 THREADS=16 DURABLE= ANY_NODE=
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --durable) DURABLE=1; shift ;;
    --any-node) ANY_NODE=any-node; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || mvn -B -q -DskipTests package -pl benchmarks -am
# The nodes get the heap and collector of conf/jvm.options.
NODE_JVM="-Xms256m -Xmx1g -XX:+UseG1GC ${FLOOR_JAVA_OPTS:-}"
PORTS=(9701 9702 9703)
PIDS=()
. benchmarks/cluster.sh # on_tmpfs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ringkv-floor.XXXXXX")
if [ -n "$DURABLE" ] && on_tmpfs "$WORK"; then
  rm -rf "$WORK"
  echo "$WORK is on tmpfs, where an fsync does nothing: set TMPDIR to a folder on a disk" >&2
  exit 2
fi
stop() {
  local status=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$status" != 0 ]; then
    for i in 0 1 2; do echo "--- node $i" >&2; cat "$WORK/n$i.log" >&2 2>/dev/null || true; done
  fi
  rm -rf "$WORK"
}
trap stop EXIT
for i in 0 1 2; do
  # shellcheck disable=SC2086
  java $NODE_JVM -cp "$JAR" io.ringkv.benchmarks.MessageFloor node "${PORTS[$i]}" \
    "${PORTS[$(( (i + 1) % 3 ))]}" "${PORTS[$(( (i + 2) % 3 ))]}" ${DURABLE:+"$WORK/n$i.data"} \
    > "$WORK/n$i.log" 2>&1 &
  PIDS+=($!)
done
for i in 0 1 2; do
  for _ in $(seq 1 300); do
    grep -q '^ready' "$WORK/n$i.log" && break
    kill -0 "${PIDS[$i]}" 2> /dev/null || exit 1 # its log is printed on the way out
    sleep 0.1
  done
  grep -q '^ready' "$WORK/n$i.log" || { echo "node $i: not ready in 30 s" >&2; exit 1; }
done
echo "three floor nodes up${DURABLE:+ (durable: group fdatasync, at most one per interval)};" \
  "$THREADS threads, ${WARMUP}s warm-up, ${DURATION}s measured" >&2
# shellcheck disable=SC2086
java -Xmx1g ${FLOOR_JAVA_OPTS:-} -cp "$JAR" io.ringkv.benchmarks.MessageFloor \
  load "$THREADS" "$WARMUP" "$DURATION" \
  "$(IFS=,; echo "${PORTS[*]}")" "$(IFS=,; echo "${PIDS[*]}")" ${ANY_NODE:+"$ANY_NODE"}
