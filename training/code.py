"""Registers kg's spaCy functions for ``spacy train --code training/code.py``."""

import kg.extract.tokenizer  # noqa: F401  (kg.customize_tokenizer.v1)
