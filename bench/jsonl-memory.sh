#!/usr/bin/env bash
# Memory of `modelgate validate` on a large JSON Lines file (not a test): the
# compare-validators corpus repeated until the file holds SIZE_MB megabytes, validated
# by the release binary with JSON output to /dev/null. Reports wall time, throughput and
# peak RSS (`/usr/bin/time -f %M`), next to the same run on one copy of the corpus (4.4 MB),
# so that flat memory shows as the same peak at both sizes.
#
#   bash bench/jsonl-memory.sh [SIZE_MB=1024]
#
# Uses the corpus of bench/compare-validators.sh (bench/corpus.sh makes it if missing). The big
# file is written to target/bench/jsonl-memory/ and removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
work=target/bench/jsonl-memory
corpus=target/bench/validators/corpus.jsonl
[ -s "$corpus" ] || bash bench/corpus.sh 10000 "$corpus"
cargo build --release --quiet -p modelgate-cli --bin modelgate
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (Debian package: time)" >&2; exit 1; }
mkdir -p "$work"
trap 'rm -f "$work/big.jsonl" "$work/small.jsonl"' EXIT

python3 - "$corpus" "$work" "$size_mb" <<'EOF'
import os, sys
corpus, work, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(corpus, "rb").read()
if not data.endswith(b"\n"):
    data += b"\n"
def fill(path, limit):
    written = 0
    with open(path, "wb") as out:
        while written < limit:
            out.write(data)
            written += len(data)
fill(os.path.join(work, "small.jsonl"), 1)
fill(os.path.join(work, "big.jsonl"), size_mb * 1000 * 1000)
EOF

echo "machine: $(nproc) cores, $(uname -sr); command: bash bench/jsonl-memory.sh $size_mb"
for file in small big; do
    path="$work/$file.jsonl"
    bytes=$(stat -c %s "$path")
    lines=$(wc -l <"$path")
    set +e
    /usr/bin/time -f '%e %M' -o "$work/time" target/release/modelgate validate --format json "$path" >/dev/null
    status=$?
    set -e
    [ "$status" -le 1 ] || { echo "error: modelgate exited with $status on $path" >&2; exit 1; }
    read -r seconds peak_kib < <(tail -n 1 "$work/time")
    awk -v b="$bytes" -v l="$lines" -v s="$seconds" -v k="$peak_kib" 'BEGIN {
        printf "  %8.1f MB, %9d payloads: %6.2f s, %6.1f MB/s, peak RSS %.1f MiB\n", b / 1e6, l, s, b / 1e6 / s, k / 1024
    }'
done
