#!/usr/bin/env bash
# RSS per idle connection with a third-party client (MQTT.js), WrenMQ (./wrenmq, its defaults) against mosquitto
# (Debian's, persistence false), alternating, on fresh brokers:
#
#   bench/memory/idle-mqttjs.sh [--n 5000] [--repeat 3] [--settle 22]
#
# Per run: start the broker, wait SETTLE seconds, read its RSS; open N MQTT.js connections; once all have their
# CONNACK wait SETTLE seconds again, read RSS again. SETTLE (22) is past ./wrenmq's periodic G1 collection, which
# returns the heap a burst grew: both readings are taken in the same state, so the start's own garbage (how much of
# it is still resident 3 s after start varies by 10-15 MB from run to run) is not counted for or against the
# connections.
# Prints (RSS after - RSS before) / N for each run, then the median. Needs node and MQTT.js: the node_modules
# that the src-test/mqttjs build installs (or NODE_PATH), mosquitto, and broker-bundle built.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=5000 REPEAT=3 SETTLE=22
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    --settle) SETTLE=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export NODE_PATH=${NODE_PATH:-$ROOT/src-test/mqttjs/target/mqttjs/node_modules}
[ -d "$NODE_PATH/mqtt" ] || { echo "no MQTT.js in $NODE_PATH: build src-test/mqttjs first or set NODE_PATH" >&2; exit 1; }
WORK=$(mktemp -d)
BPID="" NPID=""
cleanup() {
  [ -n "$NPID" ] && kill "$NPID" 2> /dev/null || true
  [ -n "$BPID" ] && kill "$BPID" 2> /dev/null && wait "$BPID" 2> /dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

run() { # $1 = wrenmq | mosquitto; prints bytes per connection
  local kind=$1 dir=$WORK/$1 port r0 r1
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence_location %s/\nmax_connections -1\n' \
    "$port" "$dir" > "$dir/broker.conf"
  if [ "$kind" = mosquitto ]; then
    /usr/sbin/mosquitto -c "$dir/broker.conf" > "$dir/broker.log" 2>&1 &
  else
    "$ROOT/wrenmq" -c "$dir/broker.conf" > "$dir/broker.log" 2>&1 &
  fi
  BPID=$!
  for _ in $(seq 300); do (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null && break; sleep 0.1; done
  sleep "$SETTLE"
  r0=$(rss_kb "$BPID")
  mkfifo "$dir/hold"
  node "$ROOT/bench/memory/mqttjs-idle.js" "$port" "$N" < "$dir/hold" > "$dir/clients.out" 2>&1 &
  NPID=$!
  exec 4> "$dir/hold"
  for _ in $(seq 1200); do
    grep -q ready "$dir/clients.out" && break
    kill -0 "$NPID" 2> /dev/null || { cat "$dir/clients.out" >&2; exit 1; }
    sleep 0.1
  done
  grep -q ready "$dir/clients.out" || { echo "$kind: clients not connected in 120 s" >&2; exit 1; }
  sleep "$SETTLE"
  r1=$(rss_kb "$BPID")
  exec 4>&-
  wait "$NPID" || true
  NPID=""
  kill "$BPID"; wait "$BPID" 2> /dev/null || true
  BPID=""
  echo $(((r1 - r0) * 1024 / N))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "$(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$N idle MQTT.js connections, settle $SETTLE s, commit $(git -C "$ROOT" rev-parse --short HEAD)"
w=() m=()
for i in $(seq "$REPEAT"); do
  w+=("$(run wrenmq)")
  m+=("$(run mosquitto)")
  echo "run $i: wrenmq ${w[-1]} B/connection, mosquitto ${m[-1]} B/connection"
done
echo "median: wrenmq $(printf '%s\n' "${w[@]}" | median) B, mosquitto $(printf '%s\n' "${m[@]}" | median) B" \
  "per idle connection (RSS); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
