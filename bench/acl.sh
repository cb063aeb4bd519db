#!/usr/bin/env bash
# Writes an acl_file for comparing the broker with and without ACL checks on the hot path:
#
#   bench/acl.sh [FILE] [USERS]      (default bench/target/bench.acl, 10000 users)
#   WRENMQ_CONF="acl_file bench/target/bench.acl" bench/run.sh --no-jmh --clients batched --only fanin
#
# The anonymous section grants bench/# (the load clients connect without a user name), then USERS user blocks
# (tenant/N/#, a deny inside it) and two patterns with %c and %u, so every check runs against a realistic file.
set -euo pipefail
FILE=${1:-bench/target/bench.acl}
USERS=${2:-10000}
mkdir -p "$(dirname "$FILE")"
{
  echo "topic readwrite bench/#"
  for ((u = 0; u < USERS; u++)); do
    printf 'user user-%d\ntopic readwrite tenant/%d/#\ntopic deny tenant/%d/secret\n' "$u" $((u % 100)) $((u % 100))
  done
  echo "pattern readwrite devices/%c/#"
  echo "pattern read inbox/%u"
} > "$FILE.new"
mv "$FILE.new" "$FILE"
echo "$FILE: $USERS users, 2 patterns, anonymous clients may use bench/#"
