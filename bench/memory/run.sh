#!/usr/bin/env bash
# Measures what a broker's state costs in memory: RSS and live heap for N idle connections, N persistent
# sessions, N retained messages and N subscriptions, each on a fresh broker started by ./wrenmq with its defaults
# (heap bound included; persistence on, store in a temporary folder).
#
#   bench/memory/run.sh [--n N] [--kinds idle,sessions,retained,subscriptions]
#
# Needs python3 and the JDK's jcmd; builds nothing (run `mvn -pl broker-bundle -am package -DskipTests` first).
# Each step is bounded: the broker must listen within 30 s and the probe finish within 300 s. Prints a Markdown
# table: the figures after a full collection, minus those of the same broker before the probe.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=10000
KINDS=idle,sessions,retained,subscriptions
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift ;;
    --kinds) KINDS=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# shellcheck source=bench/clients/broker.sh
. "$ROOT/bench/clients/broker.sh"
WORK=$(mktemp -d)
PROBE_PID=""
cleanup() {
  [ -n "$PROBE_PID" ] && kill "$PROBE_PID" 2> /dev/null || true
  stop_broker
  rm -rf "$WORK"
}
trap cleanup EXIT

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# live heap after a full collection, KB
heap_kb() {
  jcmd "$1" GC.run > /dev/null
  jcmd "$1" GC.heap_info | sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1
}

measure() {
  local kind=$1
  start_broker "$WORK/$kind"
  sleep 2
  local rss0 heap0 rss1 heap1
  heap0=$(heap_kb "$BROKER_PID")
  rss0=$(rss_kb "$BROKER_PID")
  mkfifo "$WORK/$kind/hold"
  timeout 300 python3 "$ROOT/bench/memory/probe.py" "$BROKER_PORT" "$kind" "$N" < "$WORK/$kind/hold" > "$WORK/$kind/probe.out" &
  PROBE_PID=$!
  exec 3> "$WORK/$kind/hold"
  for _ in $(seq 3000); do
    grep -q ready "$WORK/$kind/probe.out" 2> /dev/null && break
    kill -0 "$PROBE_PID" 2> /dev/null || { echo "probe $kind failed" >&2; exit 1; }
    sleep 0.1
  done
  grep -q ready "$WORK/$kind/probe.out" || { echo "probe $kind did not finish in time" >&2; exit 1; }
  sleep 2
  heap1=$(heap_kb "$BROKER_PID")
  rss1=$(rss_kb "$BROKER_PID")
  exec 3>&-
  wait "$PROBE_PID" || true
  PROBE_PID=""
  stop_broker
  printf '| %s | %s | %d | %d | %d | %d |\n' "$kind" "$N" $((rss1 / 1024)) $(((rss1 - rss0) / 1024)) \
    $(((rss1 - rss0) * 1024 / N)) $(((heap1 - heap0) * 1024 / N))
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
  "$(free -g | awk '/^Mem/ { print $2 }') GiB RAM, $(java -version 2>&1 | head -n 1)," \
  "commit $(git -C "$ROOT" rev-parse --short HEAD)"
echo
echo "| state | N | RSS, MB | RSS added, MB | RSS per item, bytes | live heap per item, bytes |"
echo "|---|---|---|---|---|---|"
IFS=, read -r -a kinds <<< "$KINDS"
for kind in "${kinds[@]}"; do
  measure "$kind"
done
