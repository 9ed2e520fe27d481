#!/usr/bin/env bash
# Load benchmark of the emulator (not a test): `modelgate serve` (release build) on
# loopback, and the load generator (emulator/examples/load.rs) holding CONCURRENCY
# streamed chat requests open for SECONDS. Reports errors, requests per second, p50/p99
# latency and the server's peak RSS.
#
#   bash bench/emulator-load.sh [CONCURRENCY=1000] [SECONDS=20] [PACING_MS=10]
#   bash bench/emulator-load.sh --build-only     (builds both programs, runs nothing:
#                                                 .ci/run builds them early, in the background)
#
# PACING_MS is the emulator's pause between stream events (a stream of about 25 events
# then takes about 25 x PACING_MS), so that the requests really are open at once.
#
# Exits 1 when any request failed (CI runs it as a check: `.ci/run`), 0 otherwise; it
# asserts no timing. MODELGATE_PROFILE (default release) is the cargo profile of both
# programs; CI uses fast-release (optimised, without LTO), building the CLI with only its
# `serve` feature.
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-1000}
seconds=${2:-20}
pacing=${3:-10}

profile=${MODELGATE_PROFILE:-release}
features=()
[ "$profile" = release ] || features=(--no-default-features --features serve)
cargo build --profile "$profile" --quiet -p modelgate-cli --bin modelgate "${features[@]}"
cargo build --profile "$profile" --quiet -p modelgate-emulator --example load
[ "$concurrency" = --build-only ] && exit 0
out=${CARGO_TARGET_DIR:-target}/$profile
export MODELGATE_BIN=$out/modelgate

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
work=$(mktemp -d)
printf 'stream_pacing_ms: %s\n' "$pacing" >"$work/emulator.yaml"
source bench/emulator.sh
start_emulator -- --config "$work/emulator.yaml"
idle_kib=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")

echo "machine: $(nproc) cores, $(uname -sr); emulator pacing ${pacing} ms; idle server RSS $((idle_kib / 1024)) MiB"
echo "command: bash bench/emulator-load.sh $concurrency $seconds $pacing ($profile build)"
"$out/examples/load" --url "$base" --concurrency "$concurrency" \
    --seconds "$seconds" --server-pid "$server"
