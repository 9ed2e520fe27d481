#!/usr/bin/env bash
# Runs every fuzz target for a fixed number of iterations and prints, per target, the
# runs done, the time, the coverage reached and whether anything was found. Needs the
# nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
#
#   bash fuzz/run.sh [RUNS] [TARGET...]
#
# RUNS defaults per target: 200,000 for sse_decoder, validator, response_decoders and
# payload_readers, 10,000 for catalog_yaml (each of its runs reloads and checks the whole catalog, about
# 0.1 s under AddressSanitizer). A number given applies to every target; `-` keeps the
# defaults, so `bash fuzz/run.sh - validator` runs one target at its default.
#
# Each target starts from fuzz/seeds/<target> (committed) plus fuzz/corpus/<target>
# (what earlier runs found, not committed). catalog_yaml's seeds are made here from spec/
# itself: each catalog file behind the byte that picks it (its index among spec/'s files
# in sorted order, as the target counts them), plus the committed ones in
# fuzz/seeds/catalog_yaml (catalog files with a byte order mark, anchors and aliases). A crash stops with the reproducer in
# fuzz/artifacts/<target>/; rerun it with `cargo +nightly fuzz run <target> <file>`.
# Memory: libFuzzer fails any input that needs more than 2 GB (-rss_limit_mb) or a
# single allocation above 512 MB (-malloc_limit_mb).
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:--}
shift || true
default_runs() {
    case "$1" in
        catalog_yaml) echo 10000 ;;
        *) echo 200000 ;;
    esac
}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(sse_decoder validator catalog_yaml response_decoders payload_readers)

cargo +nightly fuzz build --release >/dev/null
status=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    seeds="seeds/$target"
    if [ "$target" = catalog_yaml ]; then
        seeds=$(mktemp -d)
        index=0
        while IFS= read -r file; do
            { printf "\\$(printf '%03o' "$index")"; cat "../spec/$file"; } >"$seeds/$index.yaml"
            index=$((index + 1))
        done < <(cd ../spec && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
        cp seeds/catalog_yaml/* "$seeds/"
    fi
    target_runs=$runs
    [ "$target_runs" != "-" ] || target_runs=$(default_runs "$target")
    log=$(mktemp)
    started=$(date +%s)
    if cargo +nightly fuzz run --release "$target" "corpus/$target" "$seeds" -- \
        -runs="$target_runs" -rss_limit_mb=2048 -malloc_limit_mb=512 -max_len=65536 -print_final_stats=1 \
        >"$log" 2>&1; then
        result="no finding"
    else
        result="FINDING (see fuzz/artifacts/$target/)"
        status=1
    fi
    seconds=$(( $(date +%s) - started ))
    done_line=$(grep -E "^Done [0-9]+ runs" "$log" | tail -1 || true)
    cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 || true)
    rss=$(grep -oE "rss: [0-9]+Mb" "$log" | tail -1 || true)
    printf '%-18s %s; %s, %s; %s s; %s\n' "$target" "${done_line:-no Done line}" "${cov:-?}" "${rss:-?}" "$seconds" "$result"
    if [ "$result" != "no finding" ]; then
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" | head -20
    fi
    rm -f "$log"
done
exit $status
