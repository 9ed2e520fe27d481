#!/usr/bin/env bash
# The minimum Rust version, as far as it can be checked without that toolchain: every
# crate a published modelgate crate compiles (normal and build dependencies, all
# features) must declare a `rust-version` no newer than the workspace's. Exits 1 and
# names the crates that do. (Standard-library APIs newer than the MSRV are clippy's
# `incompatible_msrv` lint, which `cargo clippy -D warnings` denies.)
#
#   bash bench/msrv-deps.sh
set -euo pipefail
cd "$(dirname "$0")/.."
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml | head -1)
trees=$(mktemp)
trap 'rm -f "$trees"' EXIT
for crate in modelgate modelgate-io modelgate-codegen modelgate-emulator modelgate-cli; do
    cargo tree --locked -p "$crate" --all-features -e normal,build --prefix none --format '{p}' >>"$trees"
done
cargo metadata --locked --format-version 1 | python3 -c '
import json, sys
msrv, trees = sys.argv[1], sys.argv[2]
def key(v):
    return tuple(int(p) for p in v.split(".")[:3]) + (0,) * (3 - len(v.split(".")))
used = set()
for line in open(trees):
    parts = line.split()
    if len(parts) >= 2:
        used.add((parts[0], parts[1].lstrip("v")))
newer = []
for p in json.load(sys.stdin)["packages"]:
    if (p["name"], p["version"]) in used and p.get("rust_version") and key(p["rust_version"]) > key(msrv):
        newer.append("%s %s needs Rust %s" % (p["name"], p["version"], p["rust_version"]))
checked = len(used)
if newer:
    print(f"error: {len(newer)} of {checked} dependencies need a Rust newer than the MSRV {msrv}:", file=sys.stderr)
    print("\n".join(sorted(newer)), file=sys.stderr)
    sys.exit(1)
print(f"ok: the {checked} crates the published crates compile declare rust-version {msrv} or older (or none)")
' "$msrv" "$trees"
