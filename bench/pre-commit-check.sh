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
# `--cold` measures instead what a user's first install costs: `pip install` of a clone
# of this repository (HEAD) into a fresh virtual environment, as pre-commit runs it, with
# an empty target directory and the profile pyproject.toml sets (fast-release, only the
# validating commands); the crates must be downloaded already (`cargo fetch`). It prints
# the install's wall time and checks the installed `modelgate`.
#
# Usage: bash bench/pre-commit-check.sh [--cold]
# Env: MODELGATE_PRECOMMIT_VENV  venv holding pre-commit (default target/pre-commit-venv;
#                                 made and filled with the pinned pre-commit when missing)
#      CARGO_TARGET_DIR, MATURIN_PEP517_ARGS  as above
# Needs: python3 with venv, git, cargo; pre-commit and maturin come from PyPI (pinned).
set -euo pipefail
script_start=$(date +%s)
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

MATURIN_VERSION=1.16.0

if [ "${1:-}" = --cold ]; then
    cold=$(mktemp -d)
    trap 'rm -rf "$cold"' EXIT
    git clone -q "$repo" "$cold/repo"
    python3 -m venv "$cold/venv"
    echo "maturin==$MATURIN_VERSION" >"$cold/constraints.txt"
    echo "machine: $(nproc) cores, $(uname -sr); $(cargo --version); command: bash bench/pre-commit-check.sh --cold"
    echo "--- pip install . (clone of $(git rev-parse --short HEAD)) into a fresh venv, empty target directory"
    start=$(date +%s.%N)
    env -u MATURIN_PEP517_ARGS CARGO_TARGET_DIR="$cold/target" CARGO_NET_OFFLINE=true \
        PIP_BUILD_CONSTRAINT="$cold/constraints.txt" PIP_CONSTRAINT="$cold/constraints.txt" \
        "$cold/venv/bin/pip" install --quiet --disable-pip-version-check "$cold/repo"
    seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
    printf 'first install: %.1f s (target: under 60 s)\n' "$seconds"
    "$cold/venv/bin/modelgate" validate examples/payloads/valid >/dev/null
    set +e
    "$cold/venv/bin/modelgate" validate examples/payloads/invalid >/dev/null 2>&1
    invalid=$?
    "$cold/venv/bin/modelgate" chat --model aws/glm-5 hi 2>"$cold/chat.err"
    chat=$?
    set -e
    [ "$invalid" = 1 ] || { echo "error: the installed modelgate exits $invalid on invalid payloads" >&2; exit 1; }
    [ "$chat" = 2 ] && grep -q "built without the \`gateway\` feature" "$cold/chat.err" ||
        { echo "error: the hook's build has the gateway commands (exit $chat)" >&2; exit 1; }
    echo "the installed modelgate validates (0 on valid, 1 on invalid payloads) and has no gateway commands"
    exit 0
fi

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
export MATURIN_PEP517_ARGS=${MATURIN_PEP517_ARGS---profile dev}
# The workspace crates are rebuilt in each install (a new clone, a new path): no
# incremental caches to write for them.
export CARGO_INCREMENTAL=${CARGO_INCREMENTAL:-0}

venv=${MODELGATE_PRECOMMIT_VENV:-$repo/target/pre-commit-venv}
MODELGATE_PRECOMMIT_VENV=$venv bash .ci/tools precommit
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
