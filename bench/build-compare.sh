#!/usr/bin/env bash
# Build cost (not a test): clean builds of three tiny programs, each in its own empty
# target directory, one after the other on the same machine:
#   modelgate            uses modelgate (this checkout, by path) with default features, as
#                        a dependent does: a VertexKey client and the validator; the
#                        build compiles the committed generated/ and api/generated/ (no
#                        generator: only this workspace turns `codegen` on)
#   modelgate-codegen    the same program with `features = ["codegen"]`: build.rs
#                        generates from spec/ during the build, as this workspace does
#   modelgate-validate   validation only, `default-features = false`: the catalog, the
#                        validator and the policy, without reqwest, tokio or progenitor
#   async-openai         async-openai 0.43 with its default features (only `rustls`:
#                        no API client is compiled)
#   async-openai-chat    async-openai 0.43 with `chat-completion` and `rustls`: a chat
#                        client, the nearest thing to what modelgate gives
# For each: wall time of `cargo build` (dev profile, then release), and the size of the
# target directory. Then the generator alone: `modelgate-codegen` on the full catalog,
# whole process, release and debug builds, median of 5 runs.
#
#   bash bench/build-compare.sh [PROFILES="dev release"]
#
# Dependencies are resolved and downloaded before the clock starts; only compiling is
# timed. The target directories are removed at the end (they take gigabytes).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profiles=${1:-dev release}
work=$root/target/bench/build
rm -rf "$work" && mkdir -p "$work"

consumer() {
    local name=$1 dependency=$2 main=$3
    mkdir -p "$work/$name/src"
    cat >"$work/$name/Cargo.toml" <<EOF
[package]
name = "$name-consumer"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
$dependency

[workspace]
EOF
    printf '%s\n' "$main" >"$work/$name/src/main.rs"
}

consumer modelgate "modelgate = { path = \"$root\" }" '
fn main() {
    let config = modelgate::Config::new(modelgate::Provider::VertexKey).api_key("key");
    let client = modelgate::VertexKeyClient::new(config).expect("a client");
    let report = modelgate::Validator::new()
        .validate_json(br#"{"model": "aws/claude-haiku-4-5", "messages": [], "max_tokens": 99999999}"#);
    println!("{} {}", report.is_valid(), std::mem::size_of_val(&client));
}'
consumer modelgate-codegen "modelgate = { path = \"$root\", features = [\"codegen\"] }" "$(cat "$work/modelgate/src/main.rs")"
consumer modelgate-validate "modelgate = { path = \"$root\", default-features = false }" '
fn main() {
    let report = modelgate::Validator::new()
        .validate_json(br#"{"model": "aws/claude-haiku-4-5", "messages": [], "max_tokens": 99999999}"#);
    println!("{}", report.is_valid());
}'
consumer async-openai 'async-openai = "0.43"' '
fn main() {
    println!("{}", std::any::type_name::<async_openai::error::OpenAIError>());
}'
consumer async-openai-chat 'async-openai = { version = "0.43", default-features = false, features = ["chat-completion", "rustls"] }' '
fn main() {
    let client = async_openai::Client::with_config(
        async_openai::config::OpenAIConfig::new().with_api_key("key"),
    );
    println!("{}", std::mem::size_of_val(&client));
}'

programs="modelgate modelgate-codegen modelgate-validate async-openai async-openai-chat"
echo "machine: $(nproc) cores, $(uname -sr), $(cargo --version); command: bash bench/build-compare.sh \"$profiles\""
for name in $programs; do
    (cd "$work/$name" && cargo generate-lockfile --quiet && cargo fetch --quiet)
done
for profile in $profiles; do
    for name in $programs; do
        dir="$work/$name"
        rm -rf "$dir/target"
        started=$(date +%s.%N)
        (cd "$dir" && cargo build --quiet --profile "$profile" >/dev/null 2>"$dir/build.log") || {
            cat "$dir/build.log" >&2
            exit 1
        }
        ended=$(date +%s.%N)
        awk -v s="$started" -v e="$ended" 'BEGIN {print e - s}' >"$dir/$profile.seconds"
        size=$(du -sb "$dir/target" | cut -f1)
        crates=$(grep -c '^name = ' "$dir/Cargo.lock")
        awk -v n="$name" -v p="$profile" -v s="$started" -v e="$ended" -v b="$size" -v c="$crates" 'BEGIN {
            printf "  %-18s %-7s clean build %6.1f s   target/ %7.1f MiB   %3d crates in Cargo.lock\n", n, p, e - s, b / 1048576, c
        }'
        rm -rf "$dir/target"
    done
    awk -v v="$(cat "$work/modelgate-validate/$profile.seconds")" -v a="$(cat "$work/async-openai/$profile.seconds")" 'BEGIN {
        printf "  %s: validation only / async-openai default = %.2f (target: at most 0.35)\n", "'"$profile"'", v / a
    }'
    awk -v m="$(cat "$work/modelgate/$profile.seconds")" -v a="$(cat "$work/async-openai-chat/$profile.seconds")" 'BEGIN {
        printf "  %s: modelgate default / async-openai chat-completion+rustls = %.2f (target: at most 1.00)\n", "'"$profile"'", m / a
    }'
done

echo "generator (modelgate-codegen on spec/, all files written to an empty directory):"
cargo build --quiet -p modelgate-codegen --features generate
cargo build --quiet --release -p modelgate-codegen --features generate
for build in release debug; do
    times=()
    for _ in 1 2 3 4 5; do
        out=$(mktemp -d)
        started=$(date +%s.%N)
        "target/$build/modelgate-codegen" "$out" --client "$out/api" >/dev/null
        ended=$(date +%s.%N)
        files=$(find "$out" -type f | wc -l)
        rm -rf "$out"
        times+=("$(awk -v s="$started" -v e="$ended" 'BEGIN {printf "%.3f", e - s}')")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
    echo "  $build build: median $median s over 5 runs (${times[*]} s), $files files"
done
