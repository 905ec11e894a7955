# Sourced by the benchmark scripts: a local cluster from the unpacked distribution.
#   unpack_distribution NAME   builds the tarball if missing, unpacks it into a fresh WORK folder,
#                              and on exit stops every process in PID and deletes WORK
#   node_config I NODE HTTP CLIENT   writes $WORK/nI/ringkv.properties (ports NODE+I, HTTP+I,
#                              CLIENT+I; seeds n1; N=3 R=2 W=2, log engine, storage.sync=batch),
#                              with the lines on stdin appended
#   start_node I               starts node I in the background; its pid goes to PID[I]
#   metric PORT SERIES         one series of a node's /metrics
#   wait_for SECONDS WHAT COMMAND...   polls the command once a second, exits the script on timeout
# Callers run from the project root with `set -euo pipefail`.

declare -A PID

unpack_distribution() { # name
  local dist=distribution/target/ringkv-0.1.0-SNAPSHOT.tar.gz
  [ -f "$dist" ] || mvn -B -q -DskipTests package
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ringkv-$1.XXXXXX")
  tar -xzf "$dist" -C "$WORK"
  HOME_DIR="$WORK/ringkv-0.1.0-SNAPSHOT"
  RINGKV="$HOME_DIR/bin/ringkv"
  trap stop_cluster EXIT
}

on_tmpfs() { # folder: whether it is on tmpfs, where an fsync costs nothing and keeps nothing
  [ "$(stat -f -c %T "$1")" = tmpfs ]
}

stop_cluster() {
  for n in "${!PID[@]}"; do kill "${PID[$n]}" 2>/dev/null || true; done
  for n in "${!PID[@]}"; do wait "${PID[$n]}" 2>/dev/null || true; done
  rm -rf "$WORK"
}

node_config() { # index node-port-base http-port-base client-port-base; extra lines on stdin
  local i=$1
  mkdir -p "$WORK/n$i"
  {
    cat <<CONF
node.id = n$i
node.host = 127.0.0.1
node.port = $(($2 + i))
http.port = $(($3 + i))
client.port = $(($4 + i))
cluster.seeds = $([ "$i" = 1 ] && echo "" || echo "127.0.0.1:$(($2 + 1))")
storage.engine = log
storage.sync = batch
storage.dir = $WORK/n$i/data
plugins.dir = $HOME_DIR/plugins
replication.n = 3
replication.r = 2
replication.w = 2
CONF
    cat
  } > "$WORK/n$i/ringkv.properties"
}

start_node() { # index
  "$RINGKV" server --config "$WORK/n$1/ringkv.properties" > "$WORK/n$1/out.log" 2>&1 &
  PID[$1]=$!
}

metric() { # port series
  curl -s "http://127.0.0.1:$1/metrics" | awk -v s="$2" '$1 == s {print $2}'
}

wait_for() { # seconds description command...
  local t=$1 what=$2; shift 2
  for _ in $(seq 1 "$t"); do if "$@"; then return 0; fi; sleep 1; done
  echo "timed out after ${t}s waiting for $what" >&2; exit 1
}
