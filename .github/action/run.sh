#!/usr/bin/env bash
# The steps of the GitHub Action (action.yml at the repository root), kept here so that
# they can be run and tested outside GitHub (bench/action-check.sh). Inputs come from
# INPUT_* variables, which action.yml sets from its `inputs:`.
#
#   run.sh install   installs `modelgate` into $MODELGATE_ACTION_ROOT (default
#                    ~/.cache/modelgate-action, the directory action.yml caches) unless
#                    it is there already, and adds its bin/ to $GITHUB_PATH.
#                    INPUT_VERSION empty: `cargo install --locked --path
#                    $GITHUB_ACTION_PATH/cli --no-default-features --profile
#                    fast-release` (this checkout of the action: the validating
#                    commands only, optimised without LTO); else `cargo install
#                    --locked modelgate-cli --no-default-features --version $INPUT_VERSION`.
#   run.sh validate  runs `modelgate validate` (the `modelgate` on PATH, or $MODELGATE)
#                    and exits with its status (0 valid, 1 findings, 2 usage error).
#                    INPUT_PATHS (default .) and INPUT_ARGS are split on whitespace,
#                    without glob expansion; INPUT_FORMAT (default github) is passed as
#                    --format; INPUT_SARIF=true writes `--format sarif` to
#                    INPUT_SARIF_FILE (default modelgate.sarif) by shell redirection
#                    instead; INPUT_WORKING_DIRECTORY (default .) is where it runs.
#                    Writes exit-code= and sarif-file= to $GITHUB_OUTPUT when set.
set -euo pipefail

# A usage error: exit 2, and in `validate` the exit-code output says so too (a workflow
# that reads it must not see it empty).
usage() {
    echo "error: $*" >&2
    if [ "${mode:-}" = validate ]; then
        output "exit-code=2"
    fi
    exit 2
}

output() {
    if [ -n "${GITHUB_OUTPUT:-}" ]; then
        echo "$1" >>"$GITHUB_OUTPUT"
    fi
}

install() {
    local root=${MODELGATE_ACTION_ROOT:-$HOME/.cache/modelgate-action}
    local version=${INPUT_VERSION:-}
    if [ -x "$root/bin/modelgate" ]; then
        echo "modelgate already installed in $root (cached)"
    elif [ -z "$version" ]; then
        [ -n "${GITHUB_ACTION_PATH:-}" ] || usage "GITHUB_ACTION_PATH is not set"
        cargo install --locked --root "$root" --path "$GITHUB_ACTION_PATH/cli" \
            --no-default-features --profile fast-release
    else
        [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.+-]+)?$ ]] ||
            usage "version \`$version\` is not a version such as 0.1.0"
        cargo install --locked --root "$root" modelgate-cli --no-default-features --version "=$version"
    fi
    if [ -n "${GITHUB_PATH:-}" ]; then
        echo "$root/bin" >>"$GITHUB_PATH"
    fi
    "$root/bin/modelgate" --version
}

validate() {
    local modelgate=${MODELGATE:-modelgate}
    local format=${INPUT_FORMAT:-github}
    local sarif=${INPUT_SARIF:-false}
    local sarif_file=${INPUT_SARIF_FILE:-modelgate.sarif}
    local dir=${INPUT_WORKING_DIRECTORY:-.}
    local -a paths args
    # Split on whitespace only: no glob expansion of `*` or `?` in what the workflow gave.
    set -f
    # shellcheck disable=SC2206
    paths=(${INPUT_PATHS:-.})
    # shellcheck disable=SC2206
    args=(${INPUT_ARGS:-})
    set +f
    [ ${#paths[@]} -gt 0 ] || paths=(.)
    case "$sarif" in
        true | false) ;;
        *) usage "sarif must be true or false, not \`$sarif\`" ;;
    esac
    cd "$dir" || usage "working-directory \`$dir\` does not exist"

    local status=0
    if [ "$sarif" = true ]; then
        mkdir -p "$(dirname "$sarif_file")"
        output "sarif-file=$(cd "$(dirname "$sarif_file")" && pwd)/$(basename "$sarif_file")"
        echo "+ modelgate validate --format sarif ${args[*]} -- ${paths[*]} > $sarif_file"
        "$modelgate" validate --format sarif "${args[@]}" -- "${paths[@]}" >"$sarif_file" || status=$?
    else
        output "sarif-file="
        echo "+ modelgate validate --format $format ${args[*]} -- ${paths[*]}"
        "$modelgate" validate --format "$format" "${args[@]}" -- "${paths[@]}" || status=$?
    fi
    output "exit-code=$status"
    return "$status"
}

mode=${1:-validate}
case "$mode" in
    install) install ;;
    validate) validate ;;
    *) usage "usage: run.sh install|validate" ;;
esac
