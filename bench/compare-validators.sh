#!/usr/bin/env bash
# Side by side (not a test): `modelgate validate` against ajv-cli (npm) and
# check-jsonschema (PyPI) on the same corpus of payloads, whole process each time.
# The generic tools get the catalog's exported schema for any model
# (`modelgate schema --all`); modelgate uses its generated validators.
#
#   bash bench/compare-validators.sh [PAYLOADS=10000] [ROUNDS=3]
#
# The corpus comes from bench/corpus.sh (the differential test's generator, fixed seed):
# payloads for every documented model on its default endpoint, valid or broken in one
# place. It is written twice: as one JSON Lines file, and as
# a directory with one file per payload. ajv-cli and check-jsonschema read one document
# per file, so they get the directory; modelgate gets both.
#
# Reports the median wall time of each tool over ROUNDS interleaved rounds, the ratios,
# and whether every tool gave every payload the same verdict (listing any that differ).
# Tools are installed under target/bench-tools (pinned in bench/package-lock.json and
# bench/requirements.txt); nothing is installed globally. Exits 1 when any verdict
# differs. MODELGATE_PROFILE=debug uses the debug build instead of the release one:
# `.ci/run` runs `MODELGATE_PROFILE=debug bash bench/compare-validators.sh 1000 1` to
# keep the three tools' verdicts identical (its timings mean nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
payloads=${1:-10000}
rounds=${2:-3}
tools=target/bench-tools
work=target/bench/validators
mkdir -p "$tools" "$work"

profile=${MODELGATE_PROFILE:-release}
case "$profile" in
    release) cargo build --release --quiet -p modelgate-cli --bin modelgate ;;
    debug) cargo build --quiet -p modelgate-cli --bin modelgate ;;
    *) echo "error: MODELGATE_PROFILE is release or debug, not $profile" >&2; exit 2 ;;
esac

bash .ci/tools compare

rm -rf "$work/corpus" && mkdir -p "$work/corpus"
bash bench/corpus.sh "$payloads" "$work/corpus.jsonl"
"target/$profile/modelgate" schema --all >"$work/any-model.json"

echo "machine: $(nproc) cores, $(uname -sr), $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)"
echo "command: bash bench/compare-validators.sh $payloads $rounds"
echo "versions: modelgate $(git rev-parse --short HEAD 2>/dev/null || echo '?') ($profile build), ajv-cli $(node -p "require('./$tools/node/node_modules/ajv-cli/package.json').version") (ajv $(node -p "require('./$tools/node/node_modules/ajv/package.json').version"), node $(node --version)), check-jsonschema $("$tools/venv/bin/check-jsonschema" --version | awk '{print $NF}') (python $(python3 -c 'import platform; print(platform.python_version())'))"
python3 bench/compare_validators.py --work "$work" --tools "$tools" --rounds "$rounds" \
    --modelgate "target/$profile/modelgate"
