#!/usr/bin/env bash
# Writes a corpus of PAYLOADS request payloads, one JSON document per line, to FILE: the
# differential test's generator (tests/differential.rs) with a fixed proptest seed, so
# the same file every time. Payloads for every documented model on its default endpoint,
# valid or broken in one place (about 1 in 5 valid). Used by the bench scripts.
#
#   bash bench/corpus.sh PAYLOADS FILE
set -euo pipefail
cd "$(dirname "$0")/.."
payloads=${1:?usage: bash bench/corpus.sh PAYLOADS FILE}
file=${2:?usage: bash bench/corpus.sh PAYLOADS FILE}
mkdir -p "$(dirname "$file")"
all="$file.all"
# About two thirds of the differential cases are on a default endpoint. --workspace: the
# test binary `cargo test --workspace` built (the features of the whole workspace), not
# a second build of the library for the root package's features alone.
PROPTEST_RNG_SEED=20261122 MODELGATE_DIFF_CASES=$((payloads * 17 / 10)) \
    MODELGATE_DIFF_DUMP="$(realpath "$(dirname "$all")")/$(basename "$all")" \
    cargo test --quiet --workspace --test differential generated_validator_and_jsonschema_agree_on_every_model \
    >/dev/null 2>&1 || {
    echo "error: the differential test failed while writing the corpus; run it alone to see why:" >&2
    echo "  cargo test --test differential" >&2
    exit 1
}
head -n "$payloads" "$all" >"$file"
rm -f "$all"
[ "$(wc -l <"$file")" -eq "$payloads" ] || {
    echo "error: the generator gave fewer than $payloads payloads" >&2
    exit 1
}
