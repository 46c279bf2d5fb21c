#!/usr/bin/env bash
# Reproduce kg's shipped entity recognizer (kg/models/ner) from SciREX (Apache-2.0).
# Takes about an hour on 2 CPU cores. Never point it at SciERC: it has no licence.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
DATA=${SCIREX_DOCS:-../shared/data/train/scirex_docs}
"$PY" training/convert.py "$DATA" training/corpus
"$PY" -m spacy train training/ner.cfg --output training/output/ner
rm -rf kg/models/ner
mkdir -p kg/models
cp -r training/output/ner/model-best kg/models/ner
echo "installed kg/models/ner"
# name the package and relax the spaCy pin to the 3.8 series the model works with
"$PY" - <<'PYEOF'
import json, pathlib
p = pathlib.Path("kg/models/ner/meta.json")
meta = json.loads(p.read_text())
meta.update(name="kg_ner", version="1.0.0", spacy_version=">=3.8.0,<3.9.0", license="Apache-2.0",
            description="kg's METHOD/DATASET/TASK/METRIC recognizer, trained on SciREX (Apache-2.0)")
p.write_text(json.dumps(meta, indent=2))
PYEOF
