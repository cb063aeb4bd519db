#!/usr/bin/env bash
# Hunts the fan-in stall of issue 15: starts ./wrenmq afresh (persistence false, max_queued_messages 100000) up to
# RUNS times and runs one cold QoS 0 fan-in 8 -> 1 with Paho clients (StallHunt.java) against each start. A run
# whose subscriber sees no progress for 2 s saves the broker's queue gauge, a thread dump, the threads' states and
# the sockets' queues to bench/target/stall/. Usage: bench/stall/hunt.sh [RUNS] [extra config lines, e.g. 'io_threads 2']
# HUNT_OPTS: options for the clients (-Drate=N paces the publishers, -DslowMicros=N slows the subscriber);
# HUNT_CDS=fresh: every start without the class-data-sharing archive (a first start after a build);
# HUNT_CPU_PERCENT=N: the broker gets at most N % of one core (a cgroup v1 CPU quota), as on a machine busy with
# other work.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
RUNS=${1:-30}
EXTRA=${2:-}
OUT=bench/target/stall
mkdir -p "$OUT"
PAHO=$(ls ~/.m2/repository/org/eclipse/paho/org.eclipse.paho.client.mqttv3/1.2.5/*.jar | head -1)
# a private copy of the jars: a build during the hunt must not swap classes under the broker
rm -rf "$OUT/jars" && mkdir -p "$OUT/jars" && cp broker-bundle/target/broker-bundle-0.1.0-SNAPSHOT.jar "$OUT/jars/" \
  && cp -r broker-bundle/target/lib "$OUT/jars/lib"
QUOTA=""
if [ -n "${HUNT_CPU_PERCENT:-}" ]; then
  QUOTA=/sys/fs/cgroup/cpu/wrenmq-stall-hunt-$$
  mkdir "$QUOTA" && echo 100000 > "$QUOTA/cpu.cfs_period_us" && echo $((HUNT_CPU_PERCENT * 1000)) > "$QUOTA/cpu.cfs_quota_us" \
    || { echo "no cgroup v1 cpu controller to limit the broker" >&2; exit 1; }
fi
for run in $(seq "$RUNS"); do
  port=$((20000 + RANDOM % 10000)); http=$((port + 1))
  printf 'listener %s 127.0.0.1\nallow_anonymous true\nmax_connections -1\nmax_inflight_messages 20\nmax_queued_messages 100000\npersistence false\nhttp_listener %s\n%b\n' \
    "$port" "$http" "$EXTRA" > "$OUT/wrenmq.conf"
  [ "${HUNT_CDS:-}" = fresh ] && rm -rf "$OUT/jars/cds"
  # the JVM's pauses (collections, safepoints) of this start, to line up with a stall
  WRENMQ_JAVA_OPTS="-Xlog:gc,safepoint:file=$OUT/jvm-$run.log:uptime,tid" WRENMQ_JARS="$OUT/jars" ./wrenmq \
    -c "$OUT/wrenmq.conf" > "$OUT/wrenmq-$run.log" 2>&1 &
  pid=$!
  [ -n "$QUOTA" ] && echo "$pid" > "$QUOTA/cgroup.procs"
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  timeout 150 java ${HUNT_OPTS:-} -cp "$PAHO" bench/stall/StallHunt.java "$port" "$http" "$pid" "$OUT/run-$run" \
    > "$OUT/hunt-$run.txt" 2>&1
  rc=$?
  echo "run $run rc $rc load $(cut -d' ' -f1 /proc/loadavg): $(tail -1 "$OUT/hunt-$run.txt")"
  kill "$pid"; for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
done
[ -n "$QUOTA" ] && rmdir "$QUOTA"
