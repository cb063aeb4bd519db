# Sourced by the scripts in bench/ that run a broker of their own through ./wrenmq.
#   start_broker DIR   writes DIR/wrenmq.conf (a free loopback port, anonymous clients, store in DIR/store),
#                      starts ./wrenmq with it (log: DIR/broker.log) and waits, at most 30 s, until it listens;
#                      sets BROKER_PID and BROKER_PORT.
#   stop_broker        stops it (SIGTERM) and waits for it.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_broker() {
  local dir=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  BROKER_PORT=$(free_port)
  mkdir -p "$dir"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence_location %s\n' "$BROKER_PORT" "$dir/store" \
    > "$dir/wrenmq.conf"
  "$root/wrenmq" -c "$dir/wrenmq.conf" > "$dir/broker.log" 2>&1 &
  BROKER_PID=$!
  for _ in $(seq 300); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $BROKER_PORT), timeout=1).close()" \
      2> /dev/null && return 0
    kill -0 "$BROKER_PID" 2> /dev/null || break
    sleep 0.1
  done
  echo "the broker did not start listening; see $dir/broker.log" >&2
  return 1
}

stop_broker() {
  if [ -n "${BROKER_PID:-}" ]; then
    kill "$BROKER_PID" 2> /dev/null || true
    wait "$BROKER_PID" 2> /dev/null || true
    BROKER_PID=""
  fi
}
