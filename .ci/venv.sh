# Sourced by the CI scripts that need Python packages: makes the virtual environment
# ($MODELGATE_VENV, default .venv) and installs tests/sdk/requirements.txt (pinned) into
# it. Sets $venv.
venv=${MODELGATE_VENV:-.venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || {
        echo "error: python3 -m venv failed; install python3-venv (Debian) and retry" >&2
        exit 2
    }
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/sdk/requirements.txt
