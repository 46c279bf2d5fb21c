"""Stage 2 of the pipeline: METHOD, DATASET and BENCHMARK mentions, merged into entities.

>>> from kg.model import Paper
>>> corpus = extract([Paper(id="p1", title="LoRA: Low-Rank Adaptation of Large Language Models",
...                         abstract="We propose Low-Rank Adaptation (LoRA) and evaluate it on GLUE.")])
>>> sorted((e.name, e.type) for e in corpus.entities.values())
[('GLUE', 'BENCHMARK'), ('LoRA', 'METHOD'), ('large language model', 'METHOD')]

The work is split so that each piece can be used alone:

* :func:`analyze_papers` runs the spaCy pipeline (:mod:`kg.extract.pipeline`) over titles and
  abstracts and yields plain per-paper results (a CLI wraps it in a progress bar);
* :func:`kg.extract.corpus.build_corpus` merges them into entities across the corpus;
* :func:`extract` does both; :func:`to_record` turns one paper's result into the JSON
  object ``kg extract`` writes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence

from kg.extract.candidates import DocResult
from kg.extract.corpus import DEFAULT_MIN_CONFIDENCE, Corpus, build_corpus
from kg.extract.titles import add_title_head
from kg.gcpause import paused
from kg.model import Extraction, Paper

logger = logging.getLogger(__name__)

__all__ = [
    "extract",
    "Progress",
    "no_progress",
    "analyze_papers",
    "build_corpus",
    "to_record",
    "load_nlp",
    "Corpus",
    "default_jobs",
]

#: ``progress(iterable, description, total)``: a wrapper for the long loop (the CLI's bar)
Progress = Callable[[Iterable, str, int], Iterable]


def no_progress(items: Iterable, desc: str, total: int) -> Iterable:
    return items


#: from this many papers on, extraction uses every core by default (starting a worker and
#: loading the model there costs about two seconds)
PARALLEL_FROM = 1000


def default_jobs(n_papers: int, n_process: int | None = None) -> int:
    """The number of extraction processes: ``n_process`` when given, else all available
    cores (at most 8) for inputs of :data:`PARALLEL_FROM` papers or more, else one.

    >>> default_jobs(10), default_jobs(10, 3)
    (1, 3)
    """
    if n_process is not None:
        return max(1, n_process)
    if n_papers < PARALLEL_FROM:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def analyze_papers(
    papers: Sequence[Paper],
    *,
    n_process: int | None = None,
    batch_size: int = 64,
    ner: bool = True,
    base: str | None = None,
    rules: Iterable[str] | None = None,
) -> Iterator[tuple[DocResult, DocResult]]:
    """Yield ``(title result, abstract result)`` for each paper, in order.

    ``n_process`` processes run the pipeline (None: :func:`default_jobs`)."""
    from kg.extract.pipeline import MAX_CHARS, analyze_texts  # spaCy loads here, not on import

    for p in papers:
        if len(p.abstract) > MAX_CHARS or len(p.title) > MAX_CHARS:
            logger.warning(
                "paper %s: %d characters; only the first %d are searched for entities",
                p.id,
                max(len(p.abstract), len(p.title)),
                MAX_CHARS,
            )
    texts = (t for p in papers for t in (p.title, p.abstract))
    from kg.extract.rules import check_rules

    rules = check_rules(rules)
    it = analyze_texts(
        texts,
        n_process=default_jobs(len(papers), n_process),
        batch_size=batch_size,
        ner=ner,
        base=base,
        rules=rules,
    )
    heads = "title_head" in rules
    for p, title_res in zip(papers, it, strict=False):
        abstract_res = next(it)
        if heads:
            title_res, abstract_res = add_title_head(p.title, p.abstract, title_res, abstract_res)
        yield title_res, abstract_res


def extract(
    papers: Iterable[Paper],
    *,
    n_process: int | None = None,
    batch_size: int = 64,
    ner: bool = True,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    base: str | None = None,
    rules: Iterable[str] | None = None,
    progress: Progress = no_progress,
) -> Corpus:
    """Extract mentions from every paper and merge them into entities across the corpus.

    ``rules`` chooses the optional rules around the recognizer (:mod:`kg.extract.rules`);
    ``n_process`` the number of processes (None: :func:`default_jobs`); ``progress`` may wrap
    the per-paper loop (the library itself only logs).
    """
    papers = list(papers)
    jobs = default_jobs(len(papers), n_process)
    results = analyze_papers(papers, n_process=jobs, batch_size=batch_size, ner=ner, base=base, rules=rules)
    # from here on everything allocated stays alive: the collector would only rescan it
    # (spaCy runs in this process only with one job; it keeps its collector then)
    with paused(when=jobs > 1):
        analyzed = list(progress(results, "extracting", len(papers)))
    with paused():
        return build_corpus(papers, analyzed, min_confidence=min_confidence, rules=rules)


def __getattr__(name: str):
    # load_nlp lives with spaCy; importing kg.extract (for Corpus, say) must not pull spaCy in
    if name == "load_nlp":
        from kg.extract.pipeline import load_nlp

        return load_nlp
    raise AttributeError(f"module 'kg.extract' has no attribute {name!r}")


def to_record(extraction: Extraction, corpus: Corpus) -> dict:
    """The ``kg extract`` JSON object for one paper (the documented output contract)."""
    paper = extraction.paper
    entities = []
    for eid, role in extraction.roles:
        e = corpus.entities[eid]
        entities.append({"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases), "role": role})
    return {
        "id": paper.id,
        "title": paper.title,
        "mentions": [
            {
                "text": m.text,
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "sentence": m.sentence,
                "type": m.type,
                "entity": m.entity,
                "role": m.role,
                "source": m.source,
                "confidence": m.confidence,
            }
            for m in extraction.mentions
        ],
        "entities": entities,
    }
