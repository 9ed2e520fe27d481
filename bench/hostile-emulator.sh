#!/usr/bin/env bash
# The emulator's part of bench/hostile.sh (not a test): `modelgate serve` under a memory
# cap (`ulimit -v`), the hostile clients of bench/hostile_emulator.py against it (a row
# each, with the server's peak RSS so far), then SIGTERM with 50 stalled clients
# connected, which must end it within the 5 s shutdown grace. Fails when a case fails,
# when the client script dies before printing every case, or when shutdown takes longer.
#
#   bash bench/hostile-emulator.sh [MEMORY_KIB=1048576]
#
# Env: MODELGATE_BIN (default target/release/modelgate, built by bench/hostile.sh);
#      HOSTILE_CLIENT, the client script (default bench/hostile_emulator.py; .ci/selftest
#      gives one that dies early, which must fail this script).
set -euo pipefail
cd "$(dirname "$0")/.."
memory_kib=${1:-1048576}
bin=${MODELGATE_BIN:-target/release/modelgate}
client=${HOSTILE_CLIENT:-bench/hostile_emulator.py}
work=$(mktemp -d)
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
status=0

eport=$(port_of)
(
    ulimit -v "$memory_kib"
    exec "$bin" serve --addr "127.0.0.1:$eport" --quiet
) >"$work/serve.out" 2>&1 &
serve=$!
servers+=("$serve")
for _ in $(seq 50); do
    python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $eport), timeout=1)" 2>/dev/null && break
    sleep 0.1
done
# The client script's status and its closing `cases N` line: a script that dies early
# (or whose cases do not all print) fails this section.
cases=0
rows=0
client_exit=missing
while IFS=$'\t' read -r name result seconds peak; do
    case "$name" in
        cases) cases=$result; continue ;;
        exit) client_exit=$result; continue ;;
    esac
    rows=$((rows + 1))
    [ "$result" = ok ] || status=1
    printf '%-50s %-6s %8s %8.1f MiB  %s\n' "$name" "-" "$seconds" "$(echo "$peak / 1024" | bc -l)" "$result"
done < <(python3 "$client" "$eport" "$serve" sk-bench; printf 'exit\t%s\n' "$?")
if [ "$cases" = 0 ] || [ "$rows" != "$cases" ] || { [ "$client_exit" != 0 ] && [ "$status" = 0 ]; }; then
    echo "FAILED: $client ran $rows of ${cases:-?} cases and exited $client_exit" >&2
    status=1
fi
python3 - "$eport" <<'EOF2' &
import socket, sys, time
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1]))) for _ in range(50)]
for s in socks:
    s.sendall(b"POST /v1/chat/completions HTTP/1.1\r\n")
time.sleep(30)
EOF2
stalled=$!
sleep 1
peak=$(awk '/VmHWM/ {print $2}' "/proc/$serve/status")
started=$(date +%s.%N)
kill -TERM "$serve"
set +e
timeout 20 tail -s 0.1 --pid="$serve" -f /dev/null
waited=$?
set -e
seconds=$(echo "$(date +%s.%N) - $started" | bc -l)
kill "$stalled" 2>/dev/null || true
mark=ok
# The shutdown grace is 5 s (limits.shutdown_grace_seconds), half a second more for the
# exit (tail looks every 0.1 s).
if [ "$waited" != 0 ]; then
    mark="FAILED (still running after 20 s)"; status=1
elif [ "$(echo "$seconds > 5.5" | bc -l)" = 1 ]; then
    mark="FAILED (took over the 5 s grace period)"; status=1
fi
printf '%-50s %-6s %8.2f %8.1f MiB  %s\n' "emulator: SIGTERM with 50 stalled clients" "-" "$seconds" "$(echo "$peak / 1024" | bc -l)" "$mark"
exit $status
