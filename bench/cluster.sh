#!/usr/bin/env bash
# Measures a WrenMQ cluster of three nodes on this machine against a single WrenMQ node, in the same run:
# publishers on node 1, subscribers on node 2, so every message crosses from one node to another.
#
#   bench/cluster.sh [--seconds N] [--only fanin,fanout,latency] [--clients batched|device]
#
# Needs broker-bundle and bench built (mvn -pl broker-bundle,bench -am package -DskipTests). Not asserted:
# figures go to stdout and bench/target/results/cluster.md, with each node's resident memory after the run.
# CPU per delivery is the publishing node's alone (the receiving node works too: see its CPU in the last table).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECONDS_PER_WORKLOAD=5
ONLY=fanin,fanout,latency
CLIENTS=batched
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_WORKLOAD=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --clients) CLIENTS=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
RESULTS=bench/target/results
WORK=bench/target/cluster-work
BENCH_CP="bench/target/classes:bench/target/lib/*"
rm -rf "$WORK" && mkdir -p "$WORK" "$RESULTS"
cp broker-bundle/target/broker-bundle-0.1.0-SNAPSHOT.jar "$WORK/" && cp -r broker-bundle/target/lib "$WORK/lib"

. bench/lib/processes.sh
trap stop_processes EXIT
free_ports() { python3 -c "
import socket
ss=[socket.socket() for _ in range($1)]
[s.bind(('127.0.0.1',0)) for s in ss]
print(' '.join(str(s.getsockname()[1]) for s in ss))"; }
await_log() { # FILE PID
  for _ in $(seq 1 240); do
    grep -q "WrenMQ listening on" "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || { echo "broker exited: $(tail -5 "$1")" >&2; exit 1; }
    sleep 0.5
  done
  echo "broker did not start: $1" >&2; exit 1
}
start_node() { # NAME CONF
  WRENMQ_JARS="$WORK" WRENMQ_CDS=off WRENMQ_JAVA_OPTS="-Xmx512m" ./wrenmq -c "$2" > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$1=$!"
}

read -r S M1 M2 M3 C1 C2 C3 <<< "$(free_ports 7)"
common="allow_anonymous true
persistence false
max_queued_messages 1000"
printf 'listener %s 127.0.0.1\n%s\n' "$S" "$common" > "$WORK/single.conf"
i=1
for pair in "$M1 $C1" "$M2 $C2" "$M3 $C3"; do
  set -- $pair
  printf 'listener %s 127.0.0.1\n%s\ncluster_name bench\ncluster_listener %s 127.0.0.1\ncluster_members 127.0.0.1:%s,127.0.0.1:%s,127.0.0.1:%s\n' \
    "$1" "$common" "$2" "$C1" "$C2" "$C3" > "$WORK/node$i.conf"
  i=$((i + 1))
done
start_node single "$WORK/single.conf"
for n in 1 2 3; do start_node "node$n" "$WORK/node$n.conf"; done
await_log "$WORK/single.log" "$PID_single"
for n in 1 2 3; do eval "await_log $WORK/node$n.log \$PID_node$n"; done

java -Xms512m -Xmx2g -cp "$BENCH_CP" org.wrenmq.bench.load.LoadGeneratorMain \
  --target "single=$S:$PID_single" --target "cluster-1to2=$M1/$M2:$PID_node1" \
  --seconds "$SECONDS_PER_WORKLOAD" --connections 1000 --clock-ticks "$(getconf CLK_TCK)" --only "$ONLY" \
  --clients "$CLIENTS" --markdown "$RESULTS/cluster.md"

{
  echo
  echo "| process | resident memory (MB) | CPU seconds in all |"
  echo "|---|---|---|"
  for n in single node1 node2 node3; do
    eval "p=\$PID_$n"
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$p/status")
    cpu=$(awk -v t="$(getconf CLK_TCK)" '{print ($14 + $15) / t}' "/proc/$p/stat")
    echo "| $n | $rss | $cpu |"
  done
} | tee -a "$RESULTS/cluster.md"
