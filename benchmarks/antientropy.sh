#!/usr/bin/env bash
# Foreground latency while anti-entropy repairs a wiped node (issue 10): three nodes from the
# unpacked distribution (N=3 R=2 W=2, log engine, storage.sync=batch), 100 000 keys loaded, then
#   phase A: n3 killed and restarted with its data (a cold JVM, nothing to repair), then a
#            fixed-rate foreground load (ringkv bench --rate) on n1 and n2;
#   phase B: n3 killed, its data folder deleted, restarted (the same cold JVM); the same load
#            while anti-entropy refills it, so A and B differ only by the exchange;
#   phase A2: once n3 is refilled, the same load again (every JVM warm).
# A warm-up run comes first and is not counted. Prints p50/p99 per operation in each phase, the
# ratios of B to A and to A2, and how far the refill got during phase B.
# Usage: benchmarks/antientropy.sh [--keys N] [--rate OPS] [--duration 30s] [--ae-rate '2000/s, 8m/s']
set -euo pipefail
cd "$(dirname "$0")/.."
KEYS=100000
RATE=300
DURATION=30s
AE_RATE="2000/s, 8m/s"
VALUE=256
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) KEYS=$2; shift 2 ;;
    --rate) RATE=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --ae-rate) AE_RATE=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

. benchmarks/cluster.sh
unpack_distribution ae-bench
config() { # node index
  node_config "$1" 7300 8300 8400 <<CONF
bucket.bench.resolver = lww
antientropy.interval = 5s
antientropy.max.rate = $AE_RATE
CONF
}
repaired_on() { # ports...: the keys anti-entropy repaired, summed over the nodes
  local sum=0
  for p in "$@"; do
    sum=$(( sum + $(metric "$p" ringkv_antientropy_keys_repaired_total | cut -d. -f1) ))
  done
  echo "$sum"
}
keys_on() { # port: the keys the node's engine holds
  curl -s "http://127.0.0.1:$1/metrics" | awk '$1 == "ringkv_storage_keys{engine=\"log\"}" {print int($2)}'
}
holds_all() { [ "$(keys_on 8303)" -ge "$KEYS" ]; }
refilled() { [ "$(keys_on 8303)" -ge "$(keys_on 8301)" ]; }
ring_settled() {
  for p in 8301 8302 8303; do
    [ "$(metric $p ringkv_ring_pending_version)" = "0.0" ] || return 1
    curl -s "http://127.0.0.1:$p/cluster/ring" | grep -q '"n3"' || return 1
  done
}

for i in 1 2 3; do config $i; done
start_node 1; sleep 2; start_node 2; start_node 3
wait_for 120 "a ring of three nodes" ring_settled
echo "three nodes up; loading $KEYS keys of $VALUE bytes" >&2
python3 - "$KEYS" "$VALUE" <<'PY'
import http.client, sys, threading
keys, size = int(sys.argv[1]), int(sys.argv[2])
body = b"x" * size
def load(lane, lanes):
    c = http.client.HTTPConnection("127.0.0.1", 8301 + lane % 2, timeout=30)
    for k in range(lane, keys, lanes):
        for attempt in range(5):
            try:
                c.request("PUT", f"/buckets/data/keys/k{k}", body)
                r = c.getresponse(); r.read()
                if r.status == 204: break
            except Exception:
                c = http.client.HTTPConnection("127.0.0.1", 8301 + lane % 2, timeout=30)
        else:
            raise SystemExit(f"could not load k{k}")
threads = [threading.Thread(target=load, args=(i, 16)) for i in range(16)]
[t.start() for t in threads]; [t.join() for t in threads]
PY
echo "loaded; waiting until n3 holds them all" >&2
wait_for 300 "n3 to hold $KEYS keys" holds_all

bench() { # label
  "$RINGKV" bench --node 127.0.0.1:8301,127.0.0.1:8302 --bucket bench --keys 10000 \
    --value-size 1024 --read-ratio 0.5 --rate "$RATE" --concurrency 32 --warmup 5s \
    --duration "$DURATION" --progress 1h --json 2>/dev/null > "$WORK/$1.json"
}
echo "warm-up: $RATE ops/s for $DURATION, not counted" >&2
bench warmup
restart_n3() { # wipe?
  kill -9 "${PID[3]}"; wait "${PID[3]}" 2>/dev/null || true
  if [ "$1" = wipe ]; then rm -rf "$WORK/n3/data"; fi
  start_node 3
  wait_for 60 "n3 to answer" curl -sf -o /dev/null http://127.0.0.1:8303/health
}
echo "phase A: n3 killed and restarted with its data; $RATE ops/s for $DURATION" >&2
restart_n3 keep
bench a
REPAIRED_BEFORE=$(repaired_on 8301 8302) # n3 restarts from 0
echo "phase B: n3 killed, its data deleted, restarted; the same load while it is refilled" >&2
restart_n3 wipe
bench b
HELD_B=$(keys_on 8303)
REPAIRED_B=$(repaired_on 8301 8302 8303)
echo "waiting until n3 is refilled, then phase A2: the same load, nothing else running" >&2
wait_for 900 "n3 to be refilled" refilled
bench a2
HELD=$(keys_on 8303)
FULL=$(keys_on 8301)
python3 - "$WORK/a.json" "$WORK/b.json" "$WORK/a2.json" "$HELD_B" "$FULL" "$((REPAIRED_B - REPAIRED_BEFORE))" "$AE_RATE" <<'PY'
import json, sys
a, b, a2 = (json.load(open(p)) for p in sys.argv[1:4])
held, full, repaired, rate = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
print(f"antientropy.max.rate = {rate}; foreground {a['rate']} ops/s on n1 and n2, "
      f"{a['measuredSeconds']} s per phase")
print("A: n3 restarted with its data, B: n3 restarted empty while anti-entropy refills it,"
      " A2: after the refill (latencies in ms)")
print(f"{'op':<5}{'p99 A':>8}{'p99 B':>8}{'p99 A2':>8}{'B/A':>7}{'B/A2':>7}{'p50 A':>8}"
      f"{'p50 B':>8}{'p50 A2':>8}{'ops/s B':>9}")
for op in ("get", "put"):
    x, y, z = a["operations"][op], b["operations"][op], a2["operations"][op]
    pa, pb, pz = x["latencyMs"]["p99"], y["latencyMs"]["p99"], z["latencyMs"]["p99"]
    print(f"{op:<5}{pa:>8.2f}{pb:>8.2f}{pz:>8.2f}{pb / pa:>7.2f}{pb / pz:>7.2f}"
          f"{x['latencyMs']['p50']:>8.2f}{y['latencyMs']['p50']:>8.2f}{z['latencyMs']['p50']:>8.2f}"
          f"{y['opsPerSecond']:>9.0f}")
print(f"during phase B anti-entropy repaired {repaired} keys;"
      f" at its end n3 held {held} keys of n1's {full} (the loaded keys and the bench keys),"
      f" so the refill was still running")
PY
