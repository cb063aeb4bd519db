# Sourced by the bench scripts: the processes a script started, and how it ends them.
# Every PID in PIDS gets SIGTERM, 5 s to exit, then SIGKILL: a benchmark never leaves a broker behind (one left
# running would hold its ports and any lock file descriptor it inherited).
PIDS=()
stop_processes() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
}
