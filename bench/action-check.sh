#!/usr/bin/env bash
# The GitHub Action (action.yml) outside GitHub: .github/action/run.sh run with INPUT_*
# variables against a stub `modelgate` and a stub `cargo` that record their arguments,
# checking the command lines, the exit status, the SARIF file and $GITHUB_OUTPUT /
# $GITHUB_PATH; then action.yml's structure (composite; every input it references is
# declared and used; every INPUT_* variable run.sh reads is set by a step).
#
# Usage: bash bench/action-check.sh
# Env: PYTHON  a python with PyYAML (default: the venv of bench/pre-commit-check.sh,
#              target/pre-commit-venv, made with PyYAML pinned when missing)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
run_sh=$repo/.github/action/run.sh

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin"

# The stubs: append their arguments (one per line, then an `--end` line) and working
# directory to a log; modelgate prints a marker to stdout and exits with $STUB_EXIT;
# cargo creates the binary `cargo install --root R` would.
cat >"$scratch/bin/modelgate" <<'STUB'
#!/usr/bin/env bash
{ echo "cwd=$PWD"; printf '%s\n' "$@"; echo --end; } >>"$STUB_LOG"
echo '{"stub": "modelgate stdout"}'
exit "${STUB_EXIT:-0}"
STUB
cat >"$scratch/bin/cargo" <<'STUB'
#!/usr/bin/env bash
{ printf '%s\n' "$@"; echo --end; } >>"$STUB_LOG"
root=
while [ $# -gt 0 ]; do
    if [ "$1" = --root ]; then root=$2; fi
    shift
done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "modelgate 0.1.0 (stub)"\n' >"$root/bin/modelgate"
chmod +x "$root/bin/modelgate"
STUB
chmod +x "$scratch/bin/modelgate" "$scratch/bin/cargo"

passed=0
failed=0
check() {
    local name=$1 expected=$2 actual=$3
    if [ "$expected" = "$actual" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAILED %s\n--- expected\n%s\n--- actual\n%s\n' "$name" "$expected" "$actual" >&2
    fi
}

# run [VAR=value...] -- ARGS: runs run.sh in a clean environment with the stubs first on
# PATH; sets $status, $log (the stubs' record), $out (GITHUB_OUTPUT), $stdout.
run() {
    local -a vars=()
    while [ "$1" != -- ]; do
        vars+=("$1")
        shift
    done
    shift
    : >"$scratch/log"
    : >"$scratch/github_output"
    set +e
    stdout=$(cd "$scratch/work" && env -i PATH="$scratch/bin:/usr/bin:/bin" HOME="$scratch/home" \
        STUB_LOG="$scratch/log" GITHUB_OUTPUT="$scratch/github_output" "${vars[@]}" \
        bash "$run_sh" "$@" 2>"$scratch/stderr")
    status=$?
    set -e
    log=$(cat "$scratch/log")
    out=$(cat "$scratch/github_output")
}

mkdir -p "$scratch/work/sub" "$scratch/home"
work=$scratch/work

echo "--- validate: the defaults"
run -- validate
check "default argv" "cwd=$work
validate
--format
github
--
.
--end" "$log"
check "default status" 0 "$status"
check "default outputs" "sarif-file=
exit-code=0" "$out"
run -- # no mode: validate
check "no mode is validate" "validate --format github -- ." "$(sed -n '2,6p' <<<"$log" | tr '\n' ' ' | sed 's/ $//')"

echo "--- validate: paths on lines and with spaces, extra args, a format; no glob expansion"
touch "$work/a.json" "$work/b.json"
run INPUT_PATHS=$'payloads/*.json\n  requests/ one.yaml \n' INPUT_ARGS="--deny warnings  --config ci/m.toml" INPUT_FORMAT=json -- validate
check "argv" "cwd=$work
validate
--format
json
--deny
warnings
--config
ci/m.toml
--
payloads/*.json
requests/
one.yaml
--end" "$log"
check "stdout passes through" '{"stub": "modelgate stdout"}' "$(tail -n 1 <<<"$stdout")"

echo "--- validate: modelgate's exit status is the step's, and in the exit-code output"
for code in 1 2; do
    run STUB_EXIT=$code INPUT_PATHS=x.json -- validate
    check "exit $code" "$code" "$status"
    check "exit-code output $code" "sarif-file=
exit-code=$code" "$out"
done

echo "--- validate: working-directory"
run INPUT_WORKING_DIRECTORY=sub INPUT_PATHS=p.json -- validate
check "cwd" "cwd=$work/sub" "$(head -n 1 <<<"$log")"
run INPUT_WORKING_DIRECTORY=missing -- validate
check "missing working-directory is exit 2" 2 "$status"
check "missing working-directory runs nothing" "" "$log"

echo "--- validate: sarif=true writes --format sarif to the SARIF file by redirection, format ignored"
run INPUT_SARIF=true INPUT_FORMAT=human INPUT_PATHS="payloads" INPUT_ARGS="--allow undocumented_parameter" STUB_EXIT=1 -- validate
check "sarif argv" "cwd=$work
validate
--format
sarif
--allow
undocumented_parameter
--
payloads
--end" "$log"
check "sarif status (findings still fail the step)" 1 "$status"
check "sarif file has modelgate's stdout" '{"stub": "modelgate stdout"}' "$(cat "$work/modelgate.sarif")"
check "sarif outputs" "sarif-file=$work/modelgate.sarif
exit-code=1" "$out"
rm "$work/modelgate.sarif"
run INPUT_SARIF=true INPUT_SARIF_FILE=reports/out.sarif INPUT_WORKING_DIRECTORY=sub -- validate
check "sarif-file in a new directory, relative to working-directory" '{"stub": "modelgate stdout"}' "$(cat "$work/sub/reports/out.sarif")"
check "sarif-file output is absolute" "sarif-file=$work/sub/reports/out.sarif
exit-code=0" "$out"
run INPUT_SARIF=yes -- validate
check "sarif=yes is exit 2" 2 "$status"
check "sarif=yes runs nothing" "" "$log"
check "sarif=yes says why" "error: sarif must be true or false, not \`yes\`" "$(cat "$scratch/stderr")"
check "sarif=yes still sets the exit-code output" "exit-code=2" "$out"
run INPUT_WORKING_DIRECTORY=missing -- validate
check "a missing working-directory sets the exit-code output" "exit-code=2" "$out"

echo "--- install: from the action's checkout, then cached; a crates.io version; a bad version"
root=$scratch/home/.cache/modelgate-action
run GITHUB_ACTION_PATH=/actions/modelgate GITHUB_PATH="$scratch/github_path" -- install
check "install argv" "install
--locked
--root
$root
--path
/actions/modelgate/cli
--no-default-features
--profile
fast-release
--end" "$log"
check "install status" 0 "$status"
check "install adds bin/ to GITHUB_PATH" "$root/bin" "$(cat "$scratch/github_path")"
check "install runs the binary" "modelgate 0.1.0 (stub)" "$(tail -n 1 <<<"$stdout")"
run GITHUB_ACTION_PATH=/actions/modelgate -- install
check "cached: no cargo" "" "$log"
check "cached: says so" "modelgate already installed in $root (cached)" "$(head -n 1 <<<"$stdout")"
run MODELGATE_ACTION_ROOT="$scratch/other" INPUT_VERSION=0.1.0 -- install
check "version argv" "install
--locked
--root
$scratch/other
modelgate-cli
--no-default-features
--version
=0.1.0
--end" "$log"
run MODELGATE_ACTION_ROOT="$scratch/third" "INPUT_VERSION=0.1; rm -rf /" -- install
check "bad version is exit 2" 2 "$status"
check "bad version runs no cargo" "" "$log"
run MODELGATE_ACTION_ROOT="$scratch/fourth" -- install
check "no GITHUB_ACTION_PATH is exit 2" 2 "$status"
run -- lint
check "unknown mode is exit 2" 2 "$status"

echo "--- action.yml: composite, inputs declared and used, INPUT_* variables set"
python=${PYTHON:-}
if [ -z "$python" ]; then
    venv=${MODELGATE_PRECOMMIT_VENV:-$repo/target/pre-commit-venv}
    MODELGATE_PRECOMMIT_VENV=$venv bash .ci/tools precommit
    python=$venv/bin/python
fi
set +e
problems=$("$python" - "$repo/action.yml" "$run_sh" <<'PY'
import re, sys, yaml

action_path, run_sh = sys.argv[1], sys.argv[2]
action = yaml.safe_load(open(action_path))
text = open(action_path).read()
problems = []

for key in ("name", "description", "inputs", "outputs", "runs"):
    if key not in action:
        problems.append(f"no `{key}`")
runs = action.get("runs", {})
if runs.get("using") != "composite":
    problems.append(f"runs.using is {runs.get('using')!r}, not composite")
steps = runs.get("steps", [])
inputs = action.get("inputs", {})

for name, spec in inputs.items():
    if "description" not in spec:
        problems.append(f"input {name} has no description")
    if "default" in spec and not isinstance(spec["default"], str):
        problems.append(f"input {name}: default {spec['default']!r} is not a string")

referenced = set(re.findall(r"inputs\.([A-Za-z0-9_-]+)", text))
for name in sorted(referenced - set(inputs)):
    problems.append(f"inputs.{name} is referenced but not declared")
for name in sorted(set(inputs) - referenced):
    problems.append(f"input {name} is declared but never used")

ids = {s["id"] for s in steps if "id" in s}
for step_id in sorted(set(re.findall(r"steps\.([A-Za-z0-9_-]+)\.", text)) - ids):
    problems.append(f"steps.{step_id} is referenced but no step has that id")

env_set = set()
for i, step in enumerate(steps):
    if "run" in step:
        if step.get("shell") != "bash":
            problems.append(f"step {i} runs without `shell: bash`")
        if ".github/action/run.sh" not in step["run"]:
            problems.append(f"step {i} does not call .github/action/run.sh")
    elif "uses" in step:
        if not re.fullmatch(r"[\w.-]+/[\w./-]+@v\d+", step["uses"]):
            problems.append(f"step {i} uses {step['uses']!r}: not owner/repo@vN")
    else:
        problems.append(f"step {i} neither runs nor uses")
    env_set |= set(step.get("env", {}))

read = set(re.findall(r"\b(INPUT_[A-Z_]+)", open(run_sh).read()))
for name in sorted(read - env_set):
    problems.append(f"run.sh reads {name}, which no step sets")
for name in sorted({n for n in env_set if n.startswith("INPUT_")} - read):
    problems.append(f"a step sets {name}, which run.sh never reads")

uses = [s["uses"] for s in steps if "uses" in s]
if not any(u.startswith("actions/cache@") for u in uses):
    problems.append("no actions/cache step")
upload = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
if len(upload) != 1 or "inputs.sarif ==" not in upload[0].get("if", ""):
    problems.append("no upload-sarif step conditional on inputs.sarif")
print("\n".join(problems))
PY
)
yaml_status=$?
set -e
check "action.yml structure (python exit)" 0 "$yaml_status"
check "action.yml structure" "" "$problems"

echo "action: $passed passed, $failed failed"
[ "$failed" = 0 ]
