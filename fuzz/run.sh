#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of everything WrenMQ reads from outside, for as long as you like:
#
#   fuzz/run.sh [--seconds N] [--only packets,config,passwords,acl,store] [--no-build]
#
# Targets (the @FuzzTest methods the build runs on their seeds only):
#   packets    any bytes from a client, through a real broker's pipeline (PacketFuzzTests)
#   config     any config file (ConfigFileFuzzTests#anyConfigFile)
#   passwords  any password file (ConfigFileFuzzTests#anyPasswordFile)
#   acl        any acl_file, then asked about topics for odd clients (ConfigFileFuzzTests#anyAclFile)
#   store      any stored message, queue entry or session record (StoreCodecFuzzTests)
# Each target runs N seconds (default 600). A crashing input is written into the target's seed folder under
# broker-bundle/src/test/resources/, so from then on the normal build runs it as a regression test (and fails
# until it is fixed): commit it with the fix. The corpus each run grows stays in broker-bundle/.cifuzz-corpus/
# (not committed) and is reused by the next run. Exit status 1 when any target found a crash.
# CI (./test without arguments) runs `fuzz/run.sh --seconds 12` after the build: five targets, about a minute.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_TARGET=600
ONLY=packets,config,passwords,acl,store
BUILD=1
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECONDS_PER_TARGET=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --no-build) BUILD=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

MODULE="$ROOT/broker-bundle"
CLASSPATH_FILE="$MODULE/target/fuzz-classpath.txt"
if [ "$BUILD" = 1 ] || [ ! -f "$CLASSPATH_FILE" ]; then
  (cd "$ROOT" && mvn -B -q -pl broker-bundle -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt)
fi

target_of() {
  case "$1" in
    packets) echo "org.wrenmq.broker.fuzz.PacketFuzzTests anyBytesFromAClient" ;;
    config) echo "org.wrenmq.broker.fuzz.ConfigFileFuzzTests anyConfigFile" ;;
    passwords) echo "org.wrenmq.broker.fuzz.ConfigFileFuzzTests anyPasswordFile" ;;
    acl) echo "org.wrenmq.broker.fuzz.ConfigFileFuzzTests anyAclFile" ;;
    store) echo "org.wrenmq.broker.store.StoreCodecFuzzTests anyStoredRecord" ;;
    *) echo "unknown target $1" >&2; exit 2 ;;
  esac
}

failed=()
IFS=, read -r -a names <<< "$ONLY"
for name in "${names[@]}"; do
  read -r class method <<< "$(target_of "$name")"
  inputs="$MODULE/src/test/resources/$(dirname "${class//.//}")/$(basename "${class//.//}")Inputs/$method"
  mkdir -p "$inputs"
  echo "== $name: $class#$method for $SECONDS_PER_TARGET s"
  # the leak detector finds buffers a packet handler forgot to release; a bounded heap finds what grows
  log="$MODULE/target/fuzz-$name.log"
  status=0
  (cd "$MODULE" && java -Xmx768m -Dio.netty.leakDetection.level=paranoid \
    -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" com.code_intelligence.jazzer.Jazzer \
    --target_class="$class" --target_method="$method" \
    -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=4096 -artifact_prefix="$inputs/") > "$log" 2>&1 || status=$?
  grep -a -v -e '^INFO: Instrumented ' -e ' INFO org.wrenmq' -e ' WARN org.wrenmq' "$log" | tail -n 8
  if [ "$status" != 0 ] || grep -a -q 'LEAK:' "$log"; then
    failed+=("$name")
    echo "fuzz: $name failed (exit $status; full log: $log)" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashes found by: ${failed[*]} (inputs written to the seed folders; see git status)" >&2
  exit 1
fi
echo "fuzz: no crash in ${#names[@]} targets x $SECONDS_PER_TARGET s"
