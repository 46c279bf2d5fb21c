"""The name a title opens with: "GCAN: Counterfactual Attention ...", "GPT-4 Technical Report".

A title whose head (before a colon or dash) is one coined word -- capitals inside it, a digit,
a hyphen -- names the paper's own method, dataset or benchmark far more often than not
("Rel-Zero: ...", "SafePassage: ...", "iMiGUE-3K: ..."); a plain word does not ("Position: ...",
"Poster: ..."). The recognizer reads Title Case titles poorly and misses some of them; the
``title_head`` rule (:mod:`kg.extract.rules`) makes the head a candidate there and wherever the
abstract writes it, and the per-paper keep decision judges it like any other candidate.
"""

from __future__ import annotations

import re

from kg.extract.candidates import CONFIDENCE, Candidate, DocResult
from kg.extract.guards import is_possible_name
from kg.extract.roles import mention_role
from kg.extract.spans import sentence_of
from kg.model import EntityType

__all__ = ["TITLE_NAME", "title_head", "add_title_head"]

#: a title's head: up to 80 characters before ": ", " - ", " — " or "Technical Report"
TITLE_NAME = re.compile(
    r"^\s*(.{1,80}?)\s*(?::\s|\s+-{1,2}\s|\s+—\s|\s+–\s|\s+(?=(?:Technical Report|System Card|Model Card)\b))"
)
_KINDS: tuple[tuple[str, EntityType], ...] = (
    ("benchmark", "BENCHMARK"),
    ("leaderboard", "BENCHMARK"),
    ("dataset", "DATASET"),
    ("corpus", "DATASET"),
)


def title_head(title: str) -> tuple[int, int] | None:
    """The span of the one-word name a title opens with, if it opens with one.

    >>> t = "Rel-Zero: Reinforcement Learning for Relations"
    >>> s, e = title_head(t); t[s:e]
    'Rel-Zero'
    >>> title_head("Beyond Real Weights: Hybrid Training"), title_head("No head here")
    (None, None)
    >>> title_head("Position: Agents Need Memory"), title_head("CLEAR: Contrastive Retrieval")
    (None, (0, 5))
    """
    m = TITLE_NAME.match(title)
    if m is None:
        return None
    head = m.group(1)
    if len(head) < 2 or any(c.isspace() for c in head) or not is_possible_name(head):
        return None
    if head.isalpha() and head[1:].islower():
        return None  # a word ("Position: ...", "Purpose: ...", "Poster: ..."), not a coined name
    return m.span(1)


def _head_type(title: str, end: int) -> EntityType:
    """What the title says the head is: "X: A Benchmark for ..." -> BENCHMARK, else METHOD."""
    head, rest = title[:end].lower(), title[end:].lower()
    if head.endswith("bench"):
        return "BENCHMARK"
    return next((t for word, t in _KINDS if word in rest), "METHOD")


def _with(text: str, res: DocResult, spans: list[tuple[int, int]], typ: EntityType) -> DocResult:
    """``res`` with candidates of type ``typ`` at the ``spans`` no candidate overlaps yet."""
    taken = [(c.start, c.end) for c in res.candidates]
    new = [(s, e) for s, e in spans if not any(a < e and s < b for a, b in taken)]
    if not new:
        return res
    sents = res.sents or [(0, len(text))]
    pairs = list(zip(res.candidates, res.roles, strict=True))
    for s, e in new:
        c = Candidate(s, e, typ, "title", CONFIDENCE["title"])
        pairs.append((c, mention_role(text, sents[sentence_of(sents, s)], c)))
    pairs.sort(key=lambda p: p[0].start)
    return DocResult(res.sents, [c for c, _ in pairs], [r for _, r in pairs])


def add_title_head(title: str, abstract: str, tres: DocResult, ares: DocResult) -> tuple[DocResult, DocResult]:
    """The results of a paper's title and abstract with the title's one-word head as a
    candidate, in the title and wherever the abstract writes it, when no candidate covers any
    of the title's head (a name the recognizer found inside it stays: "LLaMA" of
    "LLaMA-Adapter: ..."; of 27 such heads in the fold recognizers' output 7 are annotated whole).

    >>> from kg.extract.candidates import DocResult
    >>> t, a = "SafePassage: A Benchmark for Safe Driving", "We build SafePassage, and test VLMs on it."
    >>> tres, ares = add_title_head(t, a, DocResult([(0, len(t))], [], []), DocResult([(0, len(a))], [], []))
    >>> [(t[c.start:c.end], c.type, c.source) for c in tres.candidates], [a[c.start:c.end] for c in ares.candidates]
    ([('SafePassage', 'BENCHMARK', 'title')], ['SafePassage'])
    """
    span = title_head(title)
    if span is None:
        return tres, ares
    s, e = span
    if any(c.start < e and s < c.end for c in tres.candidates):
        return tres, ares
    typ = _head_type(title, e)
    head = title[s:e]
    found = [(m.start(), m.end()) for m in re.finditer(rf"(?<![\w\-]){re.escape(head)}(?![\w\-])", abstract)]
    return _with(title, tres, [span], typ), _with(abstract, ares, found, typ)
