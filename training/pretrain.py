"""``spacy pretrain`` for kg's recognizer, with its static vectors loaded.

spaCy's own ``pretrain`` builds the pipeline without running ``[initialize]``, so a tok2vec
with ``include_static_vectors`` has no vectors to read; this loads ``--paths.vectors`` into the
pipeline first and then runs spaCy's pretraining unchanged.

Usage::

    python training/pretrain.py CONFIG OUT_DIR --paths.raw_text TEXT.jsonl --paths.vectors VECTORS
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import spacy.training.pretrain as spacy_pretrain
from spacy.cli._util import parse_config_overrides
from spacy.training.initialize import load_vectors_into_model
from spacy.util import load_config

runpy.run_path(str(Path(__file__).with_name("code.py")))  # kg's tokenizer, numpy's BLAS


def main(argv: list[str]) -> None:
    config_path, out, *rest = argv
    overrides = parse_config_overrides(rest)
    config = load_config(Path(config_path), overrides=overrides, interpolate=False)
    vectors = overrides["paths.vectors"]
    make = spacy_pretrain.load_model_from_config

    def with_vectors(*args, **kwargs):
        nlp = make(*args, **kwargs)
        load_vectors_into_model(nlp, vectors)
        return nlp

    spacy_pretrain.load_model_from_config = with_vectors
    Path(out).mkdir(parents=True, exist_ok=True)
    config.to_disk(Path(out) / "config.cfg")
    spacy_pretrain.pretrain(config.interpolate(), Path(out), silent=False)


if __name__ == "__main__":
    main(sys.argv[1:])
