#!/usr/bin/env bash
# Run kg's tests against the real components: a local Neo4j server (started here if it is
# not running), Debian's headless Chromium (installed here if missing), a Jupyter kernel and
# the spaCy pipeline from .venv. Extra arguments go to pytest (e.g. -k neo4j).
set -euo pipefail
cd "$(dirname "$0")/.."
# lint, format and type checks first (seconds): a new finding fails the run ([tool.ruff], [tool.mypy])
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
.venv/bin/mypy --no-error-summary
scripts/chromium.sh >/dev/null
scripts/neo4j.sh start
eval "$(scripts/neo4j.sh env)"
export KG_CHROMIUM="$(command -v chromium)"
.venv/bin/python -m pytest "$@"
