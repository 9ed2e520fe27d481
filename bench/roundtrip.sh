#!/usr/bin/env bash
# Client round-trip overhead (not a test): the emulator (`modelgate serve`, release build)
# in its own process, pinned to the second core, and benches/roundtrip.rs on the first,
# sending the same chat request through modelgate's VertexKey client and async-openai's
# client. Reports CPU time and wall time per request of the client process, medians of
# interleaved rounds.
#
#   bash bench/roundtrip.sh [ROUNDS=15] [PER_BLOCK=400]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-15}
per_block=${2:-400}

cargo build --release --quiet -p modelgate-cli --bin modelgate
cargo bench --quiet --bench roundtrip --no-run 2>/dev/null

pin() { if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi; }
work=$(mktemp -d)
source bench/emulator.sh
start_emulator pin 1 --
echo "machine: $(nproc) cores, $(uname -sr); command: bash bench/roundtrip.sh $rounds $per_block"
pin 0 cargo bench --quiet --bench roundtrip -- --url "$base" --rounds "$rounds" --per-block "$per_block"
