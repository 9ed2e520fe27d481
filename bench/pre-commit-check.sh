#!/usr/bin/env bash
# The pre-commit hook of .pre-commit-hooks.yaml, installed and run by pre-commit itself:
# `pre-commit try-repo THIS_REPO modelgate-validate --files ...` in a scratch git repo
# fails on an invalid payload and passes on a valid one alone.
#
# try-repo clones this repository (HEAD, plus uncommitted changes to tracked files, which
# it commits into a shadow clone) and installs the hook as a user's pre-commit would:
# `pip install .` of that clone, which builds cli/ with maturin (pyproject.toml). So a
# clean clone is all it needs; nothing built here is copied into the clone.
#
# Fast by default for CI: the build reuses this checkout's target directory
# (CARGO_TARGET_DIR, default ./target, where `cargo test` already compiled the
# dependencies) with the dev profile (MATURIN_PEP517_ARGS="--profile dev"); set
# MATURIN_PEP517_ARGS= (empty) to build the release binary users get.
#
# Usage: bash bench/pre-commit-check.sh
# Env: MODELGATE_PRECOMMIT_VENV  venv holding pre-commit (default target/pre-commit-venv;
#                                 made and filled with the pinned pre-commit when missing)
#      CARGO_TARGET_DIR, MATURIN_PEP517_ARGS  as above
# Needs: python3 with venv, git, cargo; pre-commit and maturin come from PyPI (pinned).
set -euo pipefail
script_start=$(date +%s)
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

PRE_COMMIT_VERSION=4.7.0
MATURIN_VERSION=1.16.0

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
export MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS---profile dev}
# The workspace crates are rebuilt in each install (a new clone, a new path): no
# incremental caches to write for them.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

venv=${MODELGATE_PRECOMMIT_VENV:-$repo/target/pre-commit-venv}
if [ ! -x "$venv/bin/pre-commit" ] || [ "$("$venv/bin/pre-commit" --version)" != "pre-commit $PRE_COMMIT_VERSION" ]; then
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION"
fi
"$venv/bin/pre-commit" --version

scratch=$(mktemp -d "$CARGO_TARGET_DIR/pre-commit-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# The maturin that pip puts in the isolated build environment: pinned. pip >= 25.3
# reads build constraints from PIP_BUILD_CONSTRAINT only; older pips from PIP_CONSTRAINT.
echo "maturin==$MATURIN_VERSION" >"$scratch/constraints.txt"
export PIP_BUILD_CONSTRAINT=$scratch/constraints.txt PIP_CONSTRAINT=$scratch/constraints.txt
# try-repo keeps hook environments in a temporary store of its own; nothing else of
# pre-commit's goes to the user's ~/.cache either.
export PRE_COMMIT_HOME=$scratch/cache

work=$scratch/repo
mkdir "$work"
cp examples/payloads/valid/vtrix-claude-3-haiku.json "$work/good.json"
cp examples/payloads/invalid/vtrix-claude-3-haiku-max-tokens.json "$work/bad.json"
cp examples/payloads/valid/vertexkey-images.yaml "$work/good.yaml"
cp examples/payloads/invalid/mixed.jsonl "$work/bad.jsonl"
echo "not a payload" >"$work/notes.txt"
git -C "$work" init --quiet
git -C "$work" add .

fail() {
    echo "error: $*" >&2
    exit 1
}

# try-repo FILE... : runs the hook on FILEs (--verbose: its output even when it passes);
# sets $status and $output. Each try-repo installs the hook afresh (it keeps its own store
# in a temporary directory), so there are two: one that fails, one that passes.
try_repo() {
    local start
    start=$(date +%s)
    set +e
    output=$(cd "$work" && "$venv/bin/pre-commit" try-repo "$repo" modelgate-validate --color never --verbose --files "$@" 2>&1)
    status=$?
    set -e
    printf '%s\n' "$output" | sed 's/^/    | /'
    echo "    took $(($(date +%s) - start)) s, hook install included"
}

echo "--- invalid payloads (JSON, JSON Lines) beside valid ones (JSON, YAML) and a text file: the hook fails"
echo "    (install: pip install . with maturin, MATURIN_PEP517_ARGS='$MATURIN_PEP517_ARGS', CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
try_repo good.json bad.json good.yaml bad.jsonl notes.txt
[ "$status" = 1 ] || fail "invalid payloads: exit $status, expected 1"
grep -qE '^modelgate validate\.+Failed$' <<<"$output" || fail "no Failed line"
grep -q -- '- exit code: 1' <<<"$output" || fail "modelgate's exit status 1 not reported"
grep -q -- '--> bad.json:' <<<"$output" || fail "bad.json's finding not located"
grep -q 'max_tokens' <<<"$output" || fail "the finding (max_tokens) not shown"
grep -q -- '--> bad.jsonl:5:' <<<"$output" || fail "bad.jsonl's malformed line 5 not located"
# (good.yaml has a warning, as in examples/payloads/valid: warnings do not fail.)
if grep -A1 -F 'error[' <<<"$output" | grep -qE -- '--> (good\.json|good\.yaml|notes\.txt):'; then
    fail "an error in a valid payload or the text file"
fi
# 1 + 1 + 5 JSON Lines payloads + 2 YAML documents, in 4 files: notes.txt was not passed.
grep -qE '^checked [0-9]+ payloads in 4 files: ' <<<"$output" || fail "not exactly the 4 payload files checked"

echo "--- valid payloads (JSON, YAML) and the text file: the hook passes"
try_repo good.json good.yaml notes.txt
[ "$status" = 0 ] || fail "valid payloads: exit $status, expected 0"
grep -qE '^modelgate validate\.+Passed$' <<<"$output" || fail "no Passed line"
grep -qE '^checked [0-9]+ payloads in 2 files: [0-9]+ valid, 0 invalid' <<<"$output" || fail "no summary of 2 valid files"

echo "took $(($(date +%s) - script_start)) s in all"
echo "pre-commit: 2 passed, 0 failed"
