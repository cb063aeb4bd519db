#!/usr/bin/env bash
# Benchmarks WrenMQ against mosquitto on loopback, in the same run, and runs the JMH microbenchmarks.
#
#   bench/run.sh [--seconds N] [--repeat N] [--connections N] [--only fanin,fanout,qos1,latency,idle,qos2]
#                [--clients both|device|batched] [--messages N] [--no-load] [--no-jmh] [--jmh REGEX] [--mosquitto-only]
#                [--profile] [--no-build] [--pin] [--tls]
#
# Two kinds of load client, each with its own table in load.md, device-like first (--clients picks one or both):
# - device-like: one connection per client, every packet written and flushed on its own, at most 10 QoS 1/2
#   publishes unacknowledged (Paho's default), as devices and Paho/mosquitto clients do. Each workload runs on
#   brokers started just for it: its first run is the "cold" row, a second run warms up, the third is "warm".
#   (--repeat does not apply; the idle-connections workload runs batched only.)
# --messages N stops each publisher of the throughput workloads after N messages, whatever --seconds says: a fixed
# amount of work (8 x 12500 = the first 100,000 messages after a start, for a cold fan-in).
# - batched: many packets per system call, the most the brokers can be pushed; one warm-up, then the workloads.
#
# Both brokers get the same listener and limits (mosquitto's defaults: max_inflight_messages 20,
# max_queued_messages 1000), no persistence, and the same file-descriptor limit. Figures go to stdout and to
# bench/target/results/ (load.md, jmh.txt, machine.txt, and with --profile wrenmq.jfr + hotspots.txt; --profile
# records the batched run).
# The load generator and the brokers share this machine's cores: compare CPU time per delivered message
# rather than raw throughput when the load generator is itself busy. --pin gives the brokers the last core and the
# load generator the others (taskset), as if they ran on machines of their own. --tls puts both brokers' listener
# behind TLS with the same certificate (EC P-256, made by openssl for the run); every client connection then makes a
# full handshake.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

SECONDS_PER_WORKLOAD=5
REPEAT=1
CONNECTIONS=10000
ONLY=""
RUN_LOAD=1
JMH_FILTER=""
RUN_JMH=1
RUN_WRENMQ=1
PROFILE=0
BUILD=1
PIN=0
CLIENTS=both
MESSAGES=""
TLS=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_WORKLOAD=$2; shift ;;
    --repeat) REPEAT=$2; shift ;;
    --connections) CONNECTIONS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --no-load) RUN_LOAD=0 ;;
    --no-jmh) RUN_JMH=0 ;;
    --jmh) JMH_FILTER=$2; shift ;;
    --mosquitto-only) RUN_WRENMQ=0 ;;
    --profile) PROFILE=1 ;;
    --no-build) BUILD=0 ;;
    --pin) PIN=1 ;;
    --messages) MESSAGES=$2; shift ;;
    --clients) CLIENTS=$2; shift
      case "$CLIENTS" in both|device|batched) ;; *) echo "--clients takes both, device or batched" >&2; exit 2 ;; esac ;;
    --tls) TLS=1 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# with --pin, prefixes for the brokers' and the load generator's command lines
BROKER_CPUS=()
LOAD_CPUS=()
if [ "$PIN" = 1 ]; then
  LAST_CPU=$(($(nproc) - 1))
  [ "$LAST_CPU" -ge 1 ] || { echo "--pin needs at least 2 cores" >&2; exit 2; }
  BROKER_CPUS=(taskset -c "$LAST_CPU")
  LOAD_CPUS=(taskset -c "0-$((LAST_CPU - 1))")
fi

RESULTS=bench/target/results
WORK=bench/target/run
mkdir -p "$RESULTS" "$WORK"
BENCH_CP="bench/target/classes:bench/target/lib/*"
BROKER_JAR=broker-bundle/target/broker-bundle-0.1.0-SNAPSHOT.jar

# 10,000 client sockets in the load generator and as many in each broker, plus files and slack.
WANT_FDS=$((CONNECTIONS + 4096))
HARD_FDS=$(ulimit -Hn)
if [ "$HARD_FDS" != unlimited ] && [ "$HARD_FDS" -lt "$WANT_FDS" ]; then
  echo "ulimit -Hn is $HARD_FDS, need $WANT_FDS for $CONNECTIONS connections: lower --connections" >&2
  exit 2
fi
ulimit -n "$WANT_FDS"

if [ "$BUILD" = 1 ]; then
  modules=bench
  [ "$RUN_WRENMQ" = 1 ] && modules=broker-bundle,bench
  echo "building $modules (waiting for the machine-wide Maven lock) ..." >&2
  flock /tmp/wrenmq-mvn.lock mvn -B -q -pl "$modules" -am package -DskipTests > "$WORK/build.log" 2>&1 \
    || { tail -40 "$WORK/build.log" >&2; exit 1; }
fi

{
  echo "nproc: $(nproc)"
  lscpu | grep 'Model name' | sed 's/  */ /g'
  echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "mosquitto: $(mosquitto -h 2>/dev/null | head -1)"
  echo "kernel: $(uname -r)"
  echo "wrenmq: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- broker-bundle 2>/dev/null || echo ' plus uncommitted broker-bundle changes')"
  # other processes on these two cores move the figures: the load before the run says how quiet it was
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  [ "$PIN" = 1 ] && echo "pinned: brokers on CPU $LAST_CPU, load generator on CPUs 0-$((LAST_CPU - 1))"
} > "$RESULTS/machine.txt"
cat "$RESULTS/machine.txt" >&2

. bench/lib/processes.sh
trap stop_processes EXIT

free_port() {
  for _ in $(seq 100); do
    local port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  exit 1
}

await_port() { # name port pid
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then return; fi
    kill -0 "$3" 2>/dev/null || { echo "$1 exited at start, see $WORK/$1.log" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "$1 did not listen on $2 within 30 s" >&2
  exit 1
}

if [ "$TLS" = 1 ]; then
  # one CA and server certificate for both brokers, made for this run
  rm -rf "$WORK/tls" && mkdir -p "$WORK/tls"
  (cd "$WORK/tls" \
    && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key \
    && openssl req -x509 -new -key ca.key -out ca.crt -days 2 -subj "/CN=bench CA" \
         -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
    && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key \
    && openssl req -new -key server.key -out server.csr -subj "/CN=localhost" \
    && printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > server.ext \
    && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -set_serial 1 -days 2 -extfile server.ext \
         -out server.crt \
    && chmod 644 server.key) > "$WORK/tls.log" 2>&1 || { cat "$WORK/tls.log" >&2; exit 1; }
  # (mosquitto started as root reads its key after dropping to its own user: this throw-away key is world-readable)
  echo "tls: both brokers' listener on TLS (EC P-256 certificate), full handshake per connection" >> "$RESULTS/machine.txt"
fi

# the settings both brokers share, in mosquitto's syntax
common_conf() { # port
  cat <<EOF
listener $1 127.0.0.1
EOF
  if [ "$TLS" = 1 ]; then
    printf 'certfile %s\nkeyfile %s\n' "$ROOT/$WORK/tls/server.crt" "$ROOT/$WORK/tls/server.key"
  fi
  cat <<EOF
allow_anonymous true
max_connections -1
max_inflight_messages 20
max_queued_messages 1000
persistence false
EOF
}

TARGETS=()
if [ "$RUN_WRENMQ" = 1 ]; then
  [ -f "$BROKER_JAR" ] || { echo "$BROKER_JAR missing: build broker-bundle (or use --mosquitto-only)" >&2; exit 1; }
  # run a private copy: a build of broker-bundle during the run must not swap classes under the broker
  rm -rf "$WORK/wrenmq-jars" && mkdir -p "$WORK/wrenmq-jars"
  cp "$BROKER_JAR" "$WORK/wrenmq-jars/" && cp -r broker-bundle/target/lib "$WORK/wrenmq-jars/lib"
fi
# Starts both brokers afresh (WrenMQ from a private copy of its jars, as users start it, by ./wrenmq) and fills
# TARGETS for the load generator. "start_brokers profile" records WrenMQ with JFR when --profile is given.
start_brokers() {
  TARGETS=()
  if [ "$RUN_WRENMQ" = 1 ]; then
    WREN_PORT=$(free_port)
    common_conf "$WREN_PORT" > "$WORK/wrenmq.conf"
    # WRENMQ_CONF: extra lines for WrenMQ alone, to compare one of its settings (e.g. "io_threads 1")
    [ -n "${WRENMQ_CONF:-}" ] && printf '%b\n' "$WRENMQ_CONF" >> "$WORK/wrenmq.conf"
    WREN_OPTS=${WRENMQ_JAVA_OPTS:-}
    if [ "$PROFILE" = 1 ] && [ "${1:-}" = profile ]; then
      WREN_OPTS="$WREN_OPTS -XX:StartFlightRecording=filename=$RESULTS/wrenmq.jfr,settings=profile,dumponexit=true"
    fi
    # started as users start it, by ./wrenmq (its JVM options included), on the private copy
    WRENMQ_JARS="$WORK/wrenmq-jars" WRENMQ_JAVA_OPTS="$WREN_OPTS" "${BROKER_CPUS[@]}" ./wrenmq -c "$WORK/wrenmq.conf" \
      > "$WORK/wrenmq.log" 2>&1 &
    PIDS+=($!)
    await_port wrenmq "$WREN_PORT" $!
    TARGETS+=(--target "wrenmq=$WREN_PORT:$!")
  fi
  MOSQ_PORT=$(free_port)
  {
    common_conf "$MOSQ_PORT"
    # mosquitto leaves Nagle on by default; the JVM brokers' Netty sockets have it off: same rules for both
    echo "set_tcp_nodelay true"
    echo "log_dest stdout"
  } > "$WORK/mosquitto.conf"
  "${BROKER_CPUS[@]}" mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
  PIDS+=($!)
  await_port mosquitto "$MOSQ_PORT" $!
  TARGETS+=(--target "mosquitto=$MOSQ_PORT:$!")
}

stop_brokers() {
  stop_processes
  PIDS=()
}

TLS_ARGS=()
[ "$TLS" = 1 ] && TLS_ARGS=(--cafile "$WORK/tls/ca.crt")
load_generator() { # extra arguments
  "${LOAD_CPUS[@]}" java -Xms512m -Xmx2g -cp "$BENCH_CP" org.wrenmq.bench.load.LoadGeneratorMain "${TARGETS[@]}" \
    --seconds "$SECONDS_PER_WORKLOAD" --connections "$CONNECTIONS" --clock-ticks "$(getconf CLK_TCK)" \
    ${MESSAGES:+--messages "$MESSAGES"} "${TLS_ARGS[@]}" "$@"
}

rm -f "$WORK"/device-*.md "$WORK/batched.md"
if [ "$RUN_LOAD" = 1 ] && [ "$RUN_WRENMQ" = 1 ] && [ "${WRENMQ_CDS:-on}" != off ]; then
  # ./wrenmq keeps a class-data-sharing archive written by its first clean stop: one short unmeasured run makes
  # it, so every measured start is a user's second start (WRENMQ_CDS=off measures without)
  echo "training run for WrenMQ's class-data-sharing archive (not measured) ..." >&2
  start_brokers
  load_generator --only qos1 --clients device --cold-warm --seconds 1 > "$WORK/cds-training.log" 2>&1 || true
  stop_brokers
fi
if [ "$RUN_LOAD" = 1 ] && [ "$CLIENTS" != batched ]; then
  # every workload but idle connections, each on brokers started for it (its cold row is their first run)
  DEVICE_KEYS=$(echo "${ONLY:-fanin,fanout,qos1,latency,qos2}" | tr ',' '\n' | grep -vx idle || true)
  for key in $DEVICE_KEYS; do
    start_brokers
    load_generator --only "$key" --clients device --cold-warm --markdown "$WORK/device-$key.md"
    stop_brokers
    cp "$WORK/wrenmq.log" "$WORK/wrenmq-device-$key.log" 2>/dev/null || true
  done
fi

if { [ "$RUN_LOAD" = 1 ] && [ "$CLIENTS" != device ]; } || [ "$PROFILE" = 1 ]; then
  start_brokers profile
fi
if [ "$RUN_LOAD" = 1 ] && [ "$CLIENTS" != device ]; then
  [ "$PROFILE" = 1 ] && echo "profiling WrenMQ with JFR: its figures below carry the recording's overhead" >&2
  BATCHED_ARGS=(--repeat "$REPEAT" --markdown "$WORK/batched.md")
  [ -n "$ONLY" ] && BATCHED_ARGS+=(--only "$ONLY")
  load_generator "${BATCHED_ARGS[@]}"
fi

if [ "$RUN_LOAD" = 1 ]; then
  # one file, device-like rows first: the per-workload tables share their columns, so one header serves them all
  {
    device_tables=("$WORK"/device-*.md)
    if [ -f "${device_tables[0]}" ]; then
      echo "### Device-like clients (one packet per write; cold = first run of a just-started broker, warm = third)"
      echo
      head -n 2 "${device_tables[0]}"
      for f in $(for k in ${DEVICE_KEYS:-}; do echo "$WORK/device-$k.md"; done); do
        [ -f "$f" ] && tail -n +3 "$f"
      done
      echo
    fi
    if [ -f "$WORK/batched.md" ]; then
      echo "### Batched clients (many packets per write, after a warm-up)"
      echo
      cat "$WORK/batched.md"
    fi
  } > "$RESULTS/load.md"
  echo >&2
  cat "$RESULTS/load.md"
fi

if [ "$PROFILE" = 1 ] && [ "$RUN_WRENMQ" = 1 ]; then
  stop_brokers   # stops WrenMQ, which writes the recording on exit
  java -cp "$BENCH_CP" org.wrenmq.bench.profile.HotSpots "$RESULTS/wrenmq.jfr" org.wrenmq | tee "$RESULTS/hotspots.txt"
fi

if [ "$RUN_JMH" = 1 ]; then
  # short but stable enough to compare: one fork, 3 x 1 s warm-up, 5 x 1 s measured per benchmark
  java -cp "$BENCH_CP" org.openjdk.jmh.Main -f 1 -wi 3 -w 1s -i 5 -r 1s -tu us \
    -rf text -rff "$RESULTS/jmh.txt" ${JMH_FILTER:+"$JMH_FILTER"}
fi
