# Sourced by the bench scripts that need the emulator: starts `modelgate serve`
# ($MODELGATE_BIN, default the release build target/release/modelgate) on a free loopback port and sets `server` (its pid) and `base` (its
# address); stops it and removes `work` on exit.
#
#   work=$(mktemp -d); source bench/emulator.sh; start_emulator [PREFIX...] -- [SERVE ARGS...]
#
# PREFIX is a command to run it under (`taskset -c 1`), SERVE ARGS go to `modelgate serve`.
start_emulator() {
    local prefix=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do prefix+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    "${prefix[@]}" "${MODELGATE_BIN:-target/release/modelgate}" serve --quiet --addr 127.0.0.1:0 "$@" \
        >"$work/stdout" 2>"$work/stderr" &
    server=$!
    trap 'kill -INT $server 2>/dev/null || true; rm -rf "$work"' EXIT
    base=
    for _ in $(seq 200); do
        line=$(head -n 1 "$work/stdout" 2>/dev/null || true)
        [ -n "$line" ] && { base=${line#modelgate emulator listening on }; break; }
        sleep 0.05
    done
    [ -n "$base" ] || { cat "$work/stderr" >&2; echo "error: the emulator did not start" >&2; exit 1; }
}
