#!/usr/bin/env bash
# `modelgate catalog update` end to end, on a throwaway clone of this repository: the
# emulator (`modelgate serve`) plays a VertexKey whose model list gained
# aws/claude-opus-4-8 and lost aws/claude-sonnet-4-0, and this proves that
#   - a refused key (401) exits 2 and writes nothing; --dry-run exits 1, prints the diff
#     and writes nothing;
#   - the update exits 0 and changes spec/models/vertexkey.yaml, spec/catalog.yaml and
#     generated/, by inserting lines only (every other byte of spec/ kept);
#   - rebuilt from the edited catalog, `modelgate models --json` gives aws/claude-opus-4-8
#     as a listed chat model owned by aws, sourced to the remote list, and
#     aws/claude-sonnet-4-0 as documented, marked not_listed on today's (UTC) read;
#   - `modelgate validate` warns listed_model on a payload for the new model and still
#     applies the format's checks to it (temperature 5 is an error), and warns not_listed
#     on a payload for the withdrawn one;
#   - a second --dry-run against the same list exits 0: the catalog agrees with it;
#   - a new ID in no family (enterprise/example-model, made up for this check) becomes
#     a listed model of unknown kind: no endpoints, a listed_model warning without an
#     endpoint, the format's checks on any VertexKey endpoint it is sent to, and an
#     error on another gateway's.
#
# The clone holds only committed files (as CI's checkout does). It builds into this
# checkout's target directory ($CARGO_TARGET_DIR, default target/): its crates are at
# another path, so their artifacts are their own, while every dependency already
# compiled is reused. Its builds do replace target/debug/modelgate; on exit this
# checkout's own is put back (`cargo build -p modelgate-cli` here relinks it). The clone
# is deleted on exit.
#
# Usage: bash bench/catalog-update-check.sh
# Needs: git, cargo, curl, python3.
set -euo pipefail
script_start=$(date +%s)
repo=$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)

export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}
# The workspace crates are rebuilt in each run (a new clone): no incremental caches.
export CARGO_INCREMENTAL=0
# The clone's own crates are compiled for this check only: without a lint wrapper that
# .ci/run exports for its own builds (clippy has linted the same sources there).
clone_cargo() { env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS cargo "$@"; }
# Keys, base URLs or offline mode from the environment must not reach the commands.
unset VERTEXKEY_API_KEY VTRIX_API_KEY VERTEXKEY_BASE_URL VTRIX_BASE_URL MODELGATE_OFFLINE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/catalog-update-check.XXXXXX")
server=
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    # This checkout's binary back in target/debug (the clone's builds replaced it).
    (cd "$repo" && cargo build -q --locked -p modelgate-cli --bin modelgate) || true
}
trap cleanup EXIT

fail() {
    echo "error: $*" >&2
    exit 1
}
ok() { echo "ok: $*"; }
# Prints captured output, indented.
show() { printf '%s\n' "$1" | sed 's/^/    | /'; }

# run COMMAND...: runs COMMAND in the clone; sets $status and $output (stdout and
# stderr together).
run() {
    set +e
    output=$(cd "$tmp/repo" && "$@" 2>&1)
    status=$?
    set -e
}

echo "--- clone $repo ($(git -C "$repo" rev-parse --short HEAD)) into $tmp/repo"
git clone -q "$repo" "$tmp/repo"
cd "$tmp/repo"

# The update itself runs this checkout's build (the same sources in CI, where it is built
# already); the clone is compiled once, after the update, from the edited catalog.
echo "--- build modelgate from this checkout (target: $CARGO_TARGET_DIR)"
build_start=$(date +%s)
(cd "$repo" && cargo build -q --locked -p modelgate-cli --bin modelgate)
echo "    took $(($(date +%s) - build_start)) s"
bin=$CARGO_TARGET_DIR/debug/modelgate
# The generator `catalog update` runs (it does not link it): this checkout's, which the
# workspace's test build made (else built here).
[ -x "$CARGO_TARGET_DIR/debug/modelgate-codegen" ] ||
    (cd "$repo" && cargo build -q --locked -p modelgate-codegen --features generate --bin modelgate-codegen)
export MODELGATE_CODEGEN=$CARGO_TARGET_DIR/debug/modelgate-codegen
# The emulator runs from a copy: the rebuild below replaces $bin while it serves.
cp "$bin" "$tmp/modelgate-emulator"

echo "--- the emulator: VertexKey's list with aws/claude-opus-4-8 added, aws/claude-sonnet-4-0 withdrawn"
cat >"$tmp/emulator.yaml" <<'EOF'
api_keys: [vai-test]
models:
  add:
    - {id: aws/claude-opus-4-8, owned_by: aws}
  withdraw: [aws/claude-sonnet-4-0]
EOF
# start_emulator NAME: serves with $tmp/NAME.yaml (stopping the one running); sets
# $server (its pid) and $base (its address).
start_emulator() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    "$tmp/modelgate-emulator" serve --addr 127.0.0.1:0 --config "$tmp/$1.yaml" --quiet \
        >"$tmp/$1.out" 2>"$tmp/$1.err" &
    server=$!
    base=
    for _ in $(seq 100); do
        line=$(head -n 1 "$tmp/$1.out" 2>/dev/null || true)
        if [ -n "$line" ]; then
            base=${line#modelgate emulator listening on }
            return 0
        fi
        kill -0 "$server" 2>/dev/null || { cat "$tmp/$1.err" >&2; fail "the emulator ($1) exited"; }
        sleep 0.1
    done
    fail "the emulator ($1) did not say where it listens within 10 s"
}
start_emulator emulator
for i in $(seq 50); do
    curl -fsS "$base/v1/models" -H 'Authorization: Bearer vai-test' >"$tmp/models.json" 2>/dev/null && break
    [ "$i" -lt 50 ] || fail "GET $base/v1/models did not answer within 10 s"
    sleep 0.2
done
python3 - "$tmp/models.json" <<'EOF' || fail "the emulator's list is not the configured one"
import json, sys
ids = [m["id"] for m in json.load(open(sys.argv[1]))["data"]]
assert "aws/claude-opus-4-8" in ids, ids
assert "aws/claude-sonnet-4-0" not in ids, ids
EOF
ok "the emulator at $base lists aws/claude-opus-4-8 and not aws/claude-sonnet-4-0"
update=(catalog update --provider vertexkey --base-url "$base/v1" --max-retries 0)

echo "--- a failed read: nothing written"
run "$bin" "${update[@]}" --api-key vai-wrong
[ "$status" = 2 ] || { show "$output"; fail "catalog update with a refused key exited $status, not 2"; }
grep -q 'nothing was changed' <<<"$output" || { show "$output"; fail "the 401 message does not say that nothing was changed"; }
[ -z "$(git status --porcelain)" ] || { git status --short; fail "catalog update with a refused key changed files"; }
ok "a refused key (401): exit 2, nothing written"
show "$output"

echo "--- --dry-run: the difference, nothing written"
run "$bin" "${update[@]}" --api-key vai-test --dry-run
[ "$status" = 1 ] || { show "$output"; fail "catalog update --dry-run exited $status, not 1 (the catalog differs)"; }
grep -q '^+.*aws/claude-opus-4-8' <<<"$output" || { show "$output"; fail "the dry run's diff does not add aws/claude-opus-4-8"; }
grep -q '^+.*not_listed' <<<"$output" || { show "$output"; fail "the dry run's diff marks nothing not_listed"; }
[ -z "$(git status --porcelain)" ] || { git status --short; fail "catalog update --dry-run changed files"; }
ok "--dry-run: exit 1, a diff adding aws/claude-opus-4-8 and a not_listed mark, nothing written"

echo "--- catalog update"
day_before=$(date -u +%F)
run "$bin" "${update[@]}" --api-key vai-test
day_after=$(date -u +%F)
show "$output"
[ "$status" = 0 ] || fail "catalog update exited $status, not 0"
changed=$(git diff --name-only)
for path in spec/models/vertexkey.yaml spec/catalog.yaml; do
    grep -qx "$path" <<<"$changed" || { git diff --stat; fail "catalog update did not change $path"; }
done
grep -q '^generated/' <<<"$changed" || { git diff --stat; fail "catalog update did not refresh generated/"; }
ok "exit 0; changed: $(tr '\n' ' ' <<<"$changed")"
git diff --stat | sed 's/^/    /'
deleted=$(git diff --numstat -- spec | awk '{ n += $2 } END { print n + 0 }')
[ "$deleted" = 0 ] || { git diff -- spec; fail "the edit of spec/ removed or changed $deleted lines (line insertions only)"; }
ok "spec/ edited by line insertions only"

echo "--- rebuild from the edited catalog: \`cargo build\`, as the command's next steps say (build.rs generates from spec/)"
build_start=$(date +%s)
clone_cargo build -q --locked
echo "    took $(($(date +%s) - build_start)) s"

"$bin" models --json --provider vertexkey >"$tmp/catalog.json"
python3 - "$tmp/catalog.json" "$day_before" "$day_after" "$base/v1/models" <<'EOF' || fail "modelgate models --json does not show the update (above)"
import json, sys
models = {m["id"]: m for m in json.load(open(sys.argv[1]))}
days = set(sys.argv[2:4])
url = sys.argv[4]
errors = []
def expect(what, got, want):
    if got not in want:
        errors.append(f"{what} is {got!r}, expected {' or '.join(map(repr, want))}")

new = models.get("aws/claude-opus-4-8")
old = models.get("aws/claude-sonnet-4-0")
if new is None:
    errors.append("aws/claude-opus-4-8 is not in the list")
else:
    expect("aws/claude-opus-4-8 status", new.get("status"), ["listed"])
    expect("aws/claude-opus-4-8 kind", new.get("kind"), ["chat"])
    expect("aws/claude-opus-4-8 owned_by", new.get("owned_by"), ["aws"])
    source = new.get("source") or {}
    expect("aws/claude-opus-4-8 source.kind", source.get("kind"), ["remote_list"])
    expect("aws/claude-opus-4-8 source.url", source.get("url"), [url])
    expect("aws/claude-opus-4-8 source.read", source.get("read"), sorted(days))
    expect("aws/claude-opus-4-8 source.document", source.get("document"),
           sorted(f"vertexkey-models-{d}" for d in days))
if old is None:
    errors.append("aws/claude-sonnet-4-0 is not in the list")
else:
    expect("aws/claude-sonnet-4-0 status", old.get("status"), ["documented"])
    mark = old.get("not_listed")
    if not isinstance(mark, dict):
        errors.append(f"aws/claude-sonnet-4-0 not_listed is {mark!r}, expected a source object")
    else:
        expect("aws/claude-sonnet-4-0 not_listed.read", mark.get("read"), sorted(days))
        expect("aws/claude-sonnet-4-0 not_listed.kind", mark.get("kind"), ["remote_list"])
for e in errors:
    print("    " + e)
if errors:
    print(json.dumps({k: models.get(k) for k in ("aws/claude-opus-4-8", "aws/claude-sonnet-4-0")}, indent=2))
sys.exit(1 if errors else 0)
EOF
ok "models --json: aws/claude-opus-4-8 listed, kind chat, owned_by aws, source remote_list ($base/v1/models, read $day_after)"
ok "models --json: aws/claude-sonnet-4-0 documented, not_listed read $day_after"

# validate PAYLOAD: `modelgate validate --format json -` on PAYLOAD; sets $status and
# $output (the JSON report).
validate() {
    set +e
    output=$(printf '%s\n' "$1" | "$bin" validate --no-config --format json - 2>"$tmp/validate.err")
    status=$?
    set -e
    [ -s "$tmp/validate.err" ] && cat "$tmp/validate.err" >&2
    return 0
}
# codes WHICH: the codes of the report's errors or warnings, comma-separated.
codes() {
    python3 -c '
import json, sys
report = json.loads(sys.argv[1])
print(",".join(f["code"] for p in report for f in p[sys.argv[2]]))
' "$output" "$1"
}

validate '{"model":"aws/claude-opus-4-8","messages":[{"role":"user","content":"hi"}],"max_tokens":100}'
[ "$status" = 0 ] || { show "$output"; fail "validate on a payload for aws/claude-opus-4-8 exited $status, not 0"; }
[ -z "$(codes errors)" ] || { show "$output"; fail "validate reports errors on a valid payload for aws/claude-opus-4-8"; }
[[ ",$(codes warnings)," == *,listed_model,* ]] || { show "$output"; fail "no listed_model warning for aws/claude-opus-4-8"; }
ok "validate aws/claude-opus-4-8: exit 0, no errors, warnings: $(codes warnings)"

validate '{"model":"aws/claude-opus-4-8","messages":[{"role":"user","content":"hi"}],"max_tokens":100,"temperature":5}'
[ "$status" = 1 ] || { show "$output"; fail "validate on aws/claude-opus-4-8 with temperature 5 exited $status, not 1"; }
[ -n "$(codes errors)" ] || { show "$output"; fail "validate exited 1 but reports no error"; }
ok "validate aws/claude-opus-4-8 with temperature 5: exit 1, errors: $(codes errors)"

validate '{"model":"aws/claude-sonnet-4-0","messages":[{"role":"user","content":"hi"}],"max_tokens":100}'
[ "$status" = 0 ] || { show "$output"; fail "validate on a payload for aws/claude-sonnet-4-0 exited $status, not 0"; }
[[ ",$(codes warnings)," == *,not_listed,* ]] || { show "$output"; fail "no not_listed warning for aws/claude-sonnet-4-0"; }
ok "validate aws/claude-sonnet-4-0: exit 0, warnings: $(codes warnings)"

echo "--- --dry-run again: the catalog agrees with the list"
run "$bin" "${update[@]}" --api-key vai-test --dry-run
[ "$status" = 0 ] || { show "$output"; fail "catalog update --dry-run after the update exited $status, not 0"; }
ok "--dry-run after the update: exit 0"
show "$output"

echo "--- a new ID in no family: a listed model of unknown kind"
# A second list: the same change and an `enterprise/` ID (image and video models share
# that prefix, so no family gives its kind). The ID is made up for this check.
cat >"$tmp/emulator2.yaml" <<'EOF'
api_keys: [vai-test]
models:
  add:
    - {id: aws/claude-opus-4-8, owned_by: aws}
    - {id: enterprise/example-model}
  withdraw: [aws/claude-sonnet-4-0]
EOF
start_emulator emulator2
run "$bin" catalog update --provider vertexkey --base-url "$base/v1" --max-retries 0 --api-key vai-test
[ "$status" = 0 ] || { show "$output"; fail "catalog update (second list) exited $status, not 0"; }
grep -q 'added as listed: enterprise/example-model' <<<"$output" || { show "$output"; fail "enterprise/example-model was not added"; }
ok "second update: enterprise/example-model added"
clone_cargo build -q --locked
"$bin" models --json --provider vertexkey >"$tmp/catalog2.json"
python3 - "$tmp/catalog2.json" <<'EOF' || fail "models --json: enterprise/example-model is not a listed model of unknown kind"
import json, sys
m = {m["id"]: m for m in json.load(open(sys.argv[1]))}["enterprise/example-model"]
assert m["status"] == "listed" and m["kind"] is None and m["endpoints"] == [], m
EOF
ok "models --json: enterprise/example-model listed, kind null, no endpoints"

# on_endpoint ENDPOINT PAYLOAD: `modelgate validate --endpoint ENDPOINT` on PAYLOAD.
on_endpoint() {
    set +e
    output=$(printf '%s\n' "$2" | "$bin" validate --no-config --format json --endpoint "$1" - 2>"$tmp/validate.err")
    status=$?
    set -e
    return 0
}
validate '{"model":"enterprise/example-model","prompt":"a lighthouse"}'
[ "$status" = 0 ] || { show "$output"; fail "validate enterprise/example-model (no endpoint) exited $status, not 0"; }
[[ ",$(codes warnings)," == *,listed_model,* ]] || { show "$output"; fail "no listed_model warning for enterprise/example-model"; }
ok "validate enterprise/example-model without an endpoint: exit 0, warnings: $(codes warnings)"
on_endpoint vertexkey.images_generations '{"model":"enterprise/example-model","prompt":"a lighthouse","n":"two"}'
[ "$status" = 1 ] || { show "$output"; fail "validate enterprise/example-model on images_generations with n \"two\" exited $status, not 1"; }
[[ ",$(codes errors)," == *,wrong_type,* ]] || { show "$output"; fail "no wrong_type error for n \"two\""; }
[[ ",$(codes warnings)," == *,listed_model,* ]] || { show "$output"; fail "no listed_model warning on images_generations"; }
ok "validate enterprise/example-model on vertexkey.images_generations: the format's checks apply (errors: $(codes errors))"
on_endpoint vertexkey.images_generations '{"model":"enterprise/example-model","prompt":"a lighthouse"}'
[ "$status" = 0 ] || { show "$output"; fail "validate enterprise/example-model on images_generations exited $status, not 0"; }
ok "validate enterprise/example-model on vertexkey.images_generations: exit 0"
on_endpoint vtrix.chat_completions '{"model":"enterprise/example-model","messages":[{"role":"user","content":"hi"}]}'
[ "$status" = 1 ] || { show "$output"; fail "validate enterprise/example-model on a Vtrix endpoint exited $status, not 1"; }
ok "validate enterprise/example-model on vtrix.chat_completions: exit 1 (another gateway's endpoint)"

echo "--- done in $(($(date +%s) - script_start)) s"
