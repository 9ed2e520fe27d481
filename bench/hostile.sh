#!/usr/bin/env bash
# Whole-process hostile cases (issue 9), not a test: the release `modelgate` on each
# hostile input or misbehaving server, under a memory cap (`ulimit -v`, default 1 GiB)
# and a time limit (`timeout`, default 120 s). For each case it prints the exit status
# (and whether it is the expected one), wall time and peak RSS (`/usr/bin/time -f %M`).
# A case that hits the memory cap or the time limit, or exits otherwise than expected,
# fails the script.
#
#   bash bench/hostile.sh [JSONL_MB=1024] [MEMORY_KIB=1048576] [SECONDS=120]
#
# The files go to target/bench/hostile/ (the 1 GB JSON Lines file is removed at the end);
# the misbehaving servers are python3 on loopback (bench/hostile_server.py), and so are the
# hostile clients of the emulator (bench/hostile_emulator.py; its rows show the emulator's
# peak RSS so far, and no exit status).
set -euo pipefail
cd "$(dirname "$0")/.."
jsonl_mb=${1:-1024}
memory_kib=${2:-1048576}
limit_s=${3:-120}
work=target/bench/hostile
bin=target/release/modelgate
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (Debian package: time)" >&2; exit 1; }
cargo build --release --quiet -p modelgate-cli --bin modelgate
rm -rf "$work"
mkdir -p "$work"
servers=()
trap 'kill "${servers[@]}" 2>/dev/null || true; rm -f "$work/big.jsonl" "$work/out"' EXIT

# The hostile files.
python3 - "$work" "$jsonl_mb" <<'EOF'
import json, os, sys
work, jsonl_mb = sys.argv[1], int(sys.argv[2])
def write(name, data):
    with open(os.path.join(work, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())
# A "billion laughs": nine levels of nine aliases (9^9 copies if expanded).
bomb = "a0: &a0 [lol]\n" + "".join(
    "a%d: &a%d [%s]\n" % (i, i, ", ".join(["*a%d" % (i - 1)] * 9)) for i in range(1, 10))
write("bomb.yaml", bomb)
write("bomb-config.yaml", bomb)
# Deep nesting and files over the caps.
write("deep.json", "[" * 1_000_000 + "]" * 1_000_000)
haiku = '{"model": "vtrix-claude-3-haiku", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 4097}'
write("big.json", haiku + " " * (64 << 20))
write("big.yaml", "model: vtrix-claude-3-haiku\n" + "# padding\n" * (1 << 20))
# A link loop: l/self -> .., l/s/up -> ../..
loop = os.path.join(work, "loop")
os.makedirs(os.path.join(loop, "l", "s"))
write("loop/a.json", haiku)
os.symlink("..", os.path.join(loop, "l", "self"))
os.symlink("../..", os.path.join(loop, "l", "s", "up"))
# A FIFO in a walked directory.
fifo = os.path.join(work, "fifo")
os.makedirs(fifo)
write("fifo/a.json", haiku)
os.mkfifo(os.path.join(fifo, "never.json"))
# JSON Lines of JSON_MB megabytes: one valid and one invalid payload, repeated.
valid = json.dumps({"model": "vtrix-claude-3-haiku", "max_tokens": 1000,
                    "messages": [{"role": "user", "content": "Summarise this. " * 20}]})
block = (valid + "\n" + haiku + "\n").encode()
with open(os.path.join(work, "big.jsonl"), "wb") as f:
    written = 0
    while written < jsonl_mb * 1000 * 1000:
        f.write(block * 1000)
        written += len(block) * 1000
EOF

# The misbehaving servers: silent, keep-alive comments forever, an endless data line,
# an endless 500 body, an HTML page for a stream.
port_of() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
declare -A port
for mode in silent comments endless-line endless-error html; do
    port[$mode]=$(port_of)
    python3 bench/hostile_server.py "$mode" "${port[$mode]}" &
    servers+=($!)
done
sleep 1

status=0
echo "machine: $(nproc) cores, $(uname -sr); command: bash bench/hostile.sh $jsonl_mb $memory_kib $limit_s"
printf '%-50s %-6s %8s %10s\n' case exit seconds "peak RSS"
# run NAME EXPECTED_EXIT STDIN ARGS...
run() {
    local name=$1 expected=$2 stdin=$3
    shift 3
    set +e
    (
        ulimit -v "$memory_kib"
        exec /usr/bin/time -f '%e %M' -o "$work/time" timeout "$limit_s" "$bin" "$@" <"$stdin" >"$work/out" 2>"$work/err"
    )
    local code=$?
    set -e
    local seconds peak
    read -r seconds peak < <(tail -n 1 "$work/time" 2>/dev/null || echo "? 0")
    local mark=ok
    if [ "$code" != "$expected" ]; then
        mark="FAILED (expected $expected)"
        status=1
        sed 's/^/    /' "$work/err" | head -n 5
    fi
    printf '%-50s %-6s %8s %8.1f MiB  %s\n' "$name" "$code" "$seconds" "$(echo "$peak / 1024" | bc -l)" "$mark"
}
gw() { echo --base-url "http://127.0.0.1:${port[$1]}" --api-key sk-bench --max-retries 0; }

run "validate: alias bomb (YAML, $(stat -c %s "$work/bomb.yaml") bytes)" 1 /dev/null validate "$work/bomb.yaml"
run "serve --config: alias bomb" 2 /dev/null serve --config "$work/bomb-config.yaml"
run "validate: nesting 1,000,000 deep (JSON)" 1 /dev/null validate "$work/deep.json"
run "validate: JSON file over 64 MiB" 2 /dev/null validate "$work/big.json"
run "validate: YAML file over 8 MiB" 2 /dev/null validate "$work/big.yaml"
run "validate: directory with a link loop" 1 /dev/null validate "$work/loop"
run "validate: directory with a FIFO" 1 /dev/null validate "$work/fifo"
run "validate: /dev/zero as a path" 2 /dev/null validate /dev/zero
run "validate: /dev/zero on stdin" 2 /dev/zero validate -
run "validate: $jsonl_mb MB of JSON Lines" 1 /dev/null validate --format json "$work/big.jsonl"
# shellcheck disable=SC2046
run "chat: server never answers (--timeout 2)" 1 /dev/null $(gw silent) --timeout 2 chat --model aws/glm-5 hi
# shellcheck disable=SC2046
run "chat: keep-alive comments forever (--timeout 2)" 1 /dev/null $(gw comments) --timeout 2 chat --model aws/glm-5 hi
# shellcheck disable=SC2046
run "chat: one endless data line" 1 /dev/null $(gw endless-line) chat --model aws/glm-5 hi
# shellcheck disable=SC2046
run "chat: 500 with an endless body" 1 /dev/null $(gw endless-error) chat --model aws/glm-5 hi
# shellcheck disable=SC2046
run "chat: 200 HTML page for a stream" 1 /dev/null $(gw html) chat --model aws/glm-5 hi

# The emulator under the same memory cap (bench/hostile-emulator.sh).
MODELGATE_BIN=$bin bash bench/hostile-emulator.sh "$memory_kib" || status=1
exit $status
