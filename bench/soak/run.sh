#!/usr/bin/env bash
# Soak: mixed real clients against a broker started by ./wrenmq (its defaults, persistence on) for a bounded
# time, sampling the broker's live heap (jcmd), RSS, threads and open descriptors every 10 s, then saying whether
# anything grew without bound (see soak.py for the client behaviours).
#
#   bench/soak/run.sh [--minutes N]     (default 60; at least 1 to judge growth)
#
# Needs python3 and the JDK's jcmd; builds nothing (run `mvn -pl broker-bundle -am package -DskipTests` first). Exit status 1 when
# something grew or a client saw an error; the broker's log is printed on the way out if it logged a warning.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MINUTES=60
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) MINUTES=$2; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# shellcheck source=bench/clients/broker.sh
. "$ROOT/bench/clients/broker.sh"
WORK=$(mktemp -d)
trap 'stop_broker; rm -rf "$WORK"' EXIT

start_broker "$WORK"
echo "soak: broker pid $BROKER_PID on port $BROKER_PORT for $MINUTES min ($(date -u +%Y-%m-%dT%H:%MZ)," \
  "commit $(git -C "$ROOT" rev-parse --short HEAD))"
status=0
timeout $((${MINUTES%.*} * 60 + 120)) python3 "$ROOT/bench/soak/soak.py" "$BROKER_PORT" "$BROKER_PID" "$MINUTES" \
  || status=$?
warnings=$(grep -c -e ' WARN ' -e ' ERROR ' "$WORK/broker.log" || true)
echo "broker log: $warnings warning/error lines (the slow consumer's dropped messages and wills are expected)"
grep -e 'internal error' -e 'LEAK' -e 'OutOfMemory' "$WORK/broker.log" | head -n 5 && status=1
exit "$status"
