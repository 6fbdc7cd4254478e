# Helpers shared by scripts/demo and scripts/arb_demo. Sourced, not run; BIN must be set
# (build/bin). Every process started here is a background job of the calling shell, so the
# caller's `jobs -p` cleanup stops it.

# start_simulator LOG ARGS...: starts exchange_simulator --port 0 ARGS (an ephemeral port on
# 127.0.0.1), waits until it listens, and sets SIM_PID and SIM_PORT. Exits with the simulator's
# output when it does not come up within 10 s.
start_simulator() {
  local log="$1"
  shift
  "$BIN"/exchange_simulator --port 0 "$@" >"$log" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
  SIM_PORT="$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$log")"
  [ -n "$SIM_PORT" ] || { cat "$log"; exit 1; }
}

# sim_state PORT: prints the simulator's own account (GET /sim/state: the HTTP response).
sim_state() {
  local state
  exec 3<>"/dev/tcp/127.0.0.1/$1"
  printf 'GET /sim/state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
  state="$(cat <&3)"
  exec 3<&-
  printf '%s\n' "$state"
}

# stop_processes PID...: SIGTERM each, in the order given, and wait for it to exit (a daemon's
# exit status after SIGTERM is not an error here).
stop_processes() {
  local p
  for p in "$@"; do
    kill -TERM "$p" 2>/dev/null || true
    wait "$p" || true
  done
}
