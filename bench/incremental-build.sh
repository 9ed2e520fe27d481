#!/usr/bin/env bash
# The edit-build loop of someone changing the catalog: a debug `cargo build` at the root
# (the library and the CLI, build.rs generating from spec/) after a one-line change of a
# model's limit, timed. Each run changes vtrix-claude-sonnet-4.5's max_tokens maximum in
# spec/models/vtrix.yaml (64000 -> 63999, then back), so every build has something to
# regenerate; the file is put back as it was on exit, whatever happens.
#
#   bash bench/incremental-build.sh [RUNS=5]
#
# Prints each build's seconds and the median. Not a test: no time is asserted. Uses this
# checkout's target directory ($CARGO_TARGET_DIR), with incremental compilation as a
# plain `cargo build` has it.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
file=spec/models/vtrix.yaml
line='      max_tokens: {minimum: 1, maximum: 64000}'
edited='      max_tokens: {minimum: 1, maximum: 63999}'
# The line is vtrix-claude-sonnet-4.5's (the first model with it); refuse to guess.
[ "$(grep -cxF "$line" "$file")" -ge 1 ] || {
    echo "error: $file has no line '$line' to change" >&2
    exit 2
}
backup=$(mktemp)
cp "$file" "$backup"
trap 'cp "$backup" "$file"; rm -f "$backup"' EXIT

echo "--- warm-up build"
cargo build --quiet
times=()
for i in $(seq "$runs"); do
    if [ $((i % 2)) = 1 ]; then
        python3 - "$file" "$line" "$edited" <<'EOF'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
open(path, "w").write(text.replace(old + "\n", new + "\n", 1))
EOF
    else
        cp "$backup" "$file"
    fi
    start=$(date +%s.%N)
    cargo build --quiet
    end=$(date +%s.%N)
    t=$(python3 -c "print(f'{$end - $start:.2f}')")
    times+=("$t")
    echo "run $i: $t s"
done
python3 - "${times[@]}" <<'EOF'
import statistics, sys
times = [float(t) for t in sys.argv[1:]]
print(f"median {statistics.median(times):.2f} s over {len(times)} builds (min {min(times):.2f}, max {max(times):.2f})")
EOF
