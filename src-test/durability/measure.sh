#!/usr/bin/env bash
# QoS 1 throughput and crash loss of WrenMQ with each store setting, and of mosquitto with persistence on, in one
# run on this machine. Not a test: prints figures.
#
#   src-test/durability/measure.sh [MESSAGES [PUBLISHERS [WINDOW]]]     (defaults 20000 1 100)
#   ONLY="wrenmq-fsync-0 mosquitto-off" src-test/durability/measure.sh     (some rows only; ids in the table below)
#   WARMUP=20000 src-test/durability/measure.sh       (an unmeasured online run first on each broker: a warm JIT)
#
# Each broker, on 127.0.0.1 and a fresh store: (1) "online": a persistent QoS 1 subscriber is connected, a publisher
# sends MESSAGES 256-byte QoS 1 messages (PUBLISHERS publishers at once, each with up to WINDOW awaiting PUBACK): PUBACKs/s and deliveries/s; (2) "offline": the
# subscriber is offline, MESSAGES more are queued; (3) the broker is killed with SIGKILL, restarted, and the
# subscriber reconnects: how many of the acknowledged queued messages it gets. Needs broker-bundle built and
# mosquitto (Debian package) installed.
set -euo pipefail
MESSAGES=${1:-20000}
PUBLISHERS=${2:-1}
WINDOW=${3:-100}
WARMUP=${WARMUP:-0}
ONLY=${ONLY:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=$HERE/target/measure
rm -rf "$WORK" && mkdir -p "$WORK"
BROKER_CP="$ROOT/broker-bundle/target/broker-bundle-0.1.0-SNAPSHOT.jar:$ROOT/broker-bundle/target/lib/*"

# The load generator needs only Paho: compile it straight from the local Maven repository (no Maven build to
# queue behind), fetching Paho through Maven once if it is not there yet.
PAHO=org/eclipse/paho/org.eclipse.paho.client.mqttv3/1.2.5/org.eclipse.paho.client.mqttv3-1.2.5.jar
PAHO_JAR=${MAVEN_REPO:-$HOME/.m2/repository}/$PAHO
if [ ! -f "$PAHO_JAR" ]; then
  (cd "$ROOT" && flock /tmp/wrenmq-mvn.lock mvn -B -q dependency:get \
    -Dartifact=org.eclipse.paho:org.eclipse.paho.client.mqttv3:1.2.5) >&2
fi
javac -d "$WORK/classes" -cp "$PAHO_JAR" "$HERE/src/test/java/org/wrenmq/it/durability/measure/Qos1Measure.java"
MEASURE_CP="$WORK/classes:$PAHO_JAR"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PID=""
trap '[ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true' EXIT

wait_for_port() {
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  echo "broker did not open port $PORT" >&2; exit 1
}

start_broker() { # $1 = id; starts the broker whose config is $WORK/$1/broker.conf
  if [[ "$1" = mosquitto* ]]; then
    /usr/sbin/mosquitto -c "$WORK/$1/broker.conf" >>"$WORK/$1/broker.log" 2>&1 &
  else
    java -Xmx512m -cp "$BROKER_CP" org.wrenmq.broker.standalone.Main -c "$WORK/$1/broker.conf" \
      >>"$WORK/$1/broker.log" 2>&1 &
  fi
  PID=$!
  wait_for_port
}

measure() { # $1 = id (mosquitto, or a folder name for WrenMQ), $2 = label, $3... = config lines
  local name=$1 label=$2; shift 2
  if [ -n "$ONLY" ] && [[ " $ONLY " != *" $name "* ]]; then return 0; fi
  mkdir -p "$WORK/$name/data"
  {
    echo "listener $PORT 127.0.0.1"
    echo "allow_anonymous true"
    echo "max_queued_messages $((MESSAGES * 2))"
    echo "persistence_location $WORK/$name/data/"
    printf '%s\n' "$@"
  } >"$WORK/$name/broker.conf"
  start_broker "$name"
  local uri="tcp://127.0.0.1:$PORT"
  local online offline drain
  if [ "$WARMUP" -gt 0 ]; then
    java -cp "$MEASURE_CP" org.wrenmq.it.durability.measure.Qos1Measure "$uri" online "$WARMUP" "$PUBLISHERS" \
      "$WINDOW" >/dev/null
  fi
  online=$(java -cp "$MEASURE_CP" org.wrenmq.it.durability.measure.Qos1Measure "$uri" online "$MESSAGES" \
    "$PUBLISHERS" "$WINDOW")
  offline=$(java -cp "$MEASURE_CP" org.wrenmq.it.durability.measure.Qos1Measure "$uri" offline "$MESSAGES" \
    "$PUBLISHERS" "$WINDOW")
  kill -9 "$PID"; wait "$PID" 2>/dev/null || true
  start_broker "$name"
  drain=$(java -cp "$MEASURE_CP" org.wrenmq.it.durability.measure.Qos1Measure "$uri" drain)
  kill "$PID"; wait "$PID" 2>/dev/null || true
  PID=""
  printf '%-38s | %s | %s | after kill -9: %s\n' "$label" "$online" "$offline" "$drain"
}

echo "QoS 1, $MESSAGES messages of 256 bytes per phase, $PUBLISHERS publisher(s), window $WINDOW each, warm-up $WARMUP, $(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1)"
echo "store on: $(df -T "$WORK" | awk 'NR==2 {print $2, $1}'); $(date -u '+%F %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure wrenmq-off "wrenmq persistence false" "persistence false"
measure wrenmq-fsync-0 "wrenmq fsync true, interval 0 (default)"
measure wrenmq-fsync-5 "wrenmq fsync true, interval 5 ms" "persistence_sync_interval 5"
measure wrenmq-nofsync-0 "wrenmq fsync false, interval 0" "persistence_fsync false"
measure wrenmq-nofsync-5 "wrenmq fsync false, interval 5 ms" "persistence_fsync false" "persistence_sync_interval 5"
measure mosquitto-off "mosquitto 2 persistence false" "persistence false"
measure mosquitto "mosquitto 2 persistence true" "persistence true"
