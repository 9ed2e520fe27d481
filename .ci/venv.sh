# Sourced by the CI scripts that need the Python packages of tests/sdk/requirements.txt:
# installs them (pinned) into $MODELGATE_VENV (default .venv) through .ci/tools, and sets
# $venv.
venv=${MODELGATE_VENV:-.venv}
bash .ci/tools sdk
