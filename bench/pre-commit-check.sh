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
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

PRE_COMMIT_VERSION=4.7.0
MATURIN_VERSION=1.16.0

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
export MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS---profile dev}

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
# A cache of hook environments of its own: every run measures the install.
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

# try-repo FILE... : runs the hook on FILEs; sets $status and $output.
try_repo() {
    set +e
    output=$(cd "$work" && "$venv/bin/pre-commit" try-repo "$repo" modelgate-validate --color never --files "$@" 2>&1)
    status=$?
    set -e
    printf '%s\n' "$output" | sed 's/^/    | /'
}

echo "--- install (pip install . with maturin, MATURIN_PEP517_ARGS='$MATURIN_PEP517_ARGS', CARGO_TARGET_DIR=$CARGO_TARGET_DIR) and a valid payload"
start=$(date +%s)
try_repo good.json
echo "    took $(($(date +%s) - start)) s, hook install included"
[ "$status" = 0 ] || fail "a valid payload: exit $status, expected 0"
grep -qE '^modelgate validate\.+Passed$' <<<"$output" || fail "no Passed line"

echo "--- a valid and an invalid payload: the hook fails, naming the invalid one"
start=$(date +%s)
try_repo good.json bad.json
echo "    took $(($(date +%s) - start)) s"
[ "$status" = 1 ] || fail "an invalid payload: exit $status, expected 1"
grep -qE '^modelgate validate\.+Failed$' <<<"$output" || fail "no Failed line"
grep -q -- '- exit code: 1' <<<"$output" || fail "modelgate's exit status 1 not reported"
grep -q 'bad.json' <<<"$output" || fail "bad.json not named"
grep -q 'max_tokens' <<<"$output" || fail "the finding (max_tokens) not shown"
grep -q '1 invalid' <<<"$output" || fail "summary not shown"

echo "--- YAML and JSON Lines: a valid YAML passes, an invalid line of a JSONL fails"
try_repo good.yaml
[ "$status" = 0 ] || fail "a valid YAML payload: exit $status, expected 0"
try_repo good.yaml bad.jsonl
[ "$status" = 1 ] || fail "an invalid JSONL payload: exit $status, expected 1"
grep -q 'bad.jsonl' <<<"$output" || fail "bad.jsonl not named"

echo "--- a file of another kind is not passed to the hook"
try_repo notes.txt
[ "$status" = 0 ] || fail "notes.txt: exit $status, expected 0"
grep -qE '^modelgate validate\.+\(no files to check\)Skipped$' <<<"$output" || fail "notes.txt was not skipped"

echo "pre-commit hook: 5 passed, 0 failed"
