#!/usr/bin/env bash
# Set up kg and run the main job: install kg with everything it and its tests need into
# .venv (spaCy and its English pipeline included), then build the graph of the seed pages
# into kg-out/. Run from anywhere; needs Python >= 3.10 and network access to PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
.venv/bin/kg build ../shared/seeds/*.txt -o kg-out
