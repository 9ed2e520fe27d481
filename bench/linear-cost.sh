#!/usr/bin/env bash
# Linear cost of `modelgate validate` (issue 20), a benchmark, not a test (run by hand, not
# by CI): the validator's time grows in proportion to its input. Three inputs, each written
# at 1x and 10x its size:
#
#   (a) an OpenAI Batch API input file (JSON Lines of {"custom_id", "method", "url",
#       "body"}), half the lines valid, half with one finding each;
#   (b) one YAML file of many chat payloads separated by `---`, half with one finding
#       (at 10x it stays under the 8 MiB YAML cap);
#   (c) ONE JSON payload with 50,000 unknown parameters (errors) and a key given twice
#       (a warning): 50,001 findings at 1x; 500,000 members at 10x.
#
# For each file, one run of `modelgate validate --format json FILE` is read and checked:
# exactly the findings the generator wrote (code, pointer and line), every one with a
# line and a column inside the file, the right number of payloads, exit status 1. Then
# RUNS timed runs of each size, 1x and 10x interleaved, output to /dev/null, wall clock
# (Python's time.perf_counter around the process); the table gives the medians and
# 10x time / 1x time. An input whose 10x run takes over 33 times its 1x run is not run
# again (the verdict is clear, and a quadratic 10x run takes minutes). The 1x sizes take
# about 0.2 s or more, so that process start-up (a few ms, printed) does not dominate;
# the YAML one about 0.1 s, since its 10x file must stay under the 8 MiB YAML cap.
# Exit 1 if a ratio is above 11 (FAIL) or an output is not what was written.
#
#   bash bench/linear-cost.sh [RUNS=5]
#
# Env: MODELGATE  the binary (default: target/fast-release/modelgate, built here with the
#                 fast-release profile, or target/release/modelgate if that profile is gone;
#                 when MODELGATE is set nothing is built);
#      LINEAR_COST_TMP  where the files go (default /dev/shm if it exists, else $TMPDIR or
#                 /tmp; the 10x batch file is about 260 MB), removed at the end;
#      LINEAR_COST_ARGS  more options for bench/linear_cost.py (--batch-lines N,
#                 --yaml-documents N, --json-members N: the 1x sizes; --factor, --limit).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if [ -z "${MODELGATE:-}" ]; then
    if grep -q '^\[profile\.fast-release\]' Cargo.toml; then profile=fast-release; else profile=release; fi
    cargo build --profile "$profile" --quiet -p modelgate-cli --bin modelgate
    MODELGATE=target/$profile/modelgate
fi
[ -x "$MODELGATE" ] || { echo "error: no modelgate binary at $MODELGATE" >&2; exit 2; }
tmp=${LINEAR_COST_TMP:-}
if [ -z "$tmp" ]; then
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then tmp=/dev/shm; else tmp=${TMPDIR:-/tmp}; fi
fi
work=$(mktemp -d "$tmp/linear-cost.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(uname -sr); binary: $MODELGATE ($(git rev-parse --short HEAD 2>/dev/null || echo '?')); command: bash bench/linear-cost.sh $runs"
# shellcheck disable=SC2086 # LINEAR_COST_ARGS is a list of options
python3 bench/linear_cost.py --bin "$MODELGATE" --work "$work" --runs "$runs" ${LINEAR_COST_ARGS:-}
