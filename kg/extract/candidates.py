"""From the recognizer's spans to typed candidate mentions of one text: pure functions.

The learned recognizer (``kg_ner``, see ``training/``) proposes METHOD / DATASET / BENCHMARK
spans. :func:`find_candidates` keeps them inside kg's contract (:mod:`kg.extract.guards`) and
adds what the document itself says about them:

``acronyms``  an acronym definition whose long or short form the recognizer typed gives both
              forms that type, and every other occurrence of the short form too; a
              recognized name that runs on before the long form starts where it starts;
``repeats``   a name the recognizer found once names the same thing wherever else it is
              written in the text (the recognizer reads each occurrence on its own);
``lexicon``   names of kg's old hand-made lexicon the recognizer did not find (measured only).

Which of these run is a choice measured in the ablation table of ``training/README.md``
(:mod:`kg.extract.rules`). Overlaps keep the recognizer's span, then the longer one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from kg.extract.abbreviations import Abbreviation
from kg.extract.guards import clip_to_sentence, is_possible_name, tidy_span
from kg.extract.rules import DEFAULT_RULES
from kg.model import ENTITY_TYPES, EntityType, Role

__all__ = ["Candidate", "DocResult", "find_candidates", "CONFIDENCE"]


class Candidate(NamedTuple):
    """A typed span of a text that names a method, dataset or benchmark."""

    start: int
    end: int
    type: EntityType
    source: str
    confidence: float
    #: for an acronym defined in this text: its long form
    long_form: str | None = None


class DocResult(NamedTuple):
    """What the pipeline found in one text, as plain data (picklable, no spaCy types)."""

    sents: list[tuple[int, int]]
    candidates: list[Candidate]
    roles: list[Role]


#: confidence by source (the recognizer gives no calibrated score of its own)
CONFIDENCE = {"ner": 0.8, "acronym": 0.8, "repeat": 0.7, "lexicon": 0.7, "title": 0.7}
_LABELS: dict[str, EntityType] = {t: t for t in ENTITY_TYPES}  # the recognizer's labels kg reads


class _Spans:
    """Non-overlapping spans kept sorted by start: O(log n) overlap checks."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[Candidate] = []

    def overlapping(self, s: int, e: int) -> Candidate | None:
        i = bisect.bisect_right(self.starts, s)
        for j in (i - 1, i):
            if 0 <= j < len(self.items) and self.items[j].start < e and s < self.items[j].end:
                return self.items[j]
        return None

    def add(self, c: Candidate) -> bool:
        if self.overlapping(c.start, c.end) is not None:
            return False
        i = bisect.bisect_right(self.starts, c.start)
        self.starts.insert(i, c.start)
        self.items.insert(i, c)
        return True

    def remove(self, c: Candidate) -> None:
        i = self.items.index(c)
        del self.items[i]
        del self.starts[i]

    def replace(self, old: Candidate, new: Candidate) -> None:
        # within the old span: the order stays
        i = self.items.index(old)
        self.items[i] = new
        self.starts[i] = new.start


def _recognized(text: str, sents: Sequence[tuple[int, int]], ents: Iterable[tuple[int, int, str]]) -> list[Candidate]:
    out = []
    for s, e, label in ents:
        typ = _LABELS.get(label)
        if typ is None:
            continue
        s, e = clip_to_sentence(s, e, sents)
        span = tidy_span(text, s, e)
        if span is None or not is_possible_name(text[span[0] : span[1]]):
            continue
        out.append(Candidate(span[0], span[1], typ, "ner", CONFIDENCE["ner"]))
    return out


#: where a word may start: after anything but a word character or a hyphen
_WORD_START = re.compile(r"(?<![\w\-])")
_AFTER_FORM = re.compile(r"(?:s|es)?(?![\w\-])")


class _Occurrences:
    """Whole-word occurrences of forms (and their plurals) in one text: the text's word starts
    are indexed once by their first characters, so finding every form of a text is linear in
    the text, not in the text times the number of forms (a 1 MB abstract has thousands).

    >>> list(_Occurrences("BERT and BERTs, not RoBERTa or BERT-large.")("BERT"))
    [(0, 4), (9, 14)]
    """

    def __init__(self, text: str):
        self.text = text
        self.index: dict[str, list[int]] = {}
        n = len(text)
        for m in _WORD_START.finditer(text):
            i = m.start()
            if i < n:
                self.index.setdefault(text[i : i + 2], []).append(i)

    def __call__(self, form: str) -> Iterable[tuple[int, int]]:
        text = self.text
        if len(form) < 2:
            yield from (
                (m.start(), m.end()) for m in re.finditer(rf"(?<![\w\-]){re.escape(form)}(?:s|es)?(?![\w\-])", text)
            )
            return
        for i in self.index.get(form[:2], ()):
            if text.startswith(form, i):
                m = _AFTER_FORM.match(text, i + len(form))
                if m:
                    yield i, m.end()


def _acronyms(text: str, kept: _Spans, abbreviations: Sequence[Abbreviation], occurrences: _Occurrences) -> None:
    for ab in abbreviations:
        on_long = kept.overlapping(ab.long_start, ab.long_end)
        if on_long is not None and on_long.end != ab.long_end:
            # a name inside the long form ("CLIP" in "Direct CLIP-Based Optimization (DiCO)")
            # is not what the acronym stands for
            on_long = None
        elif on_long is not None and on_long.start < ab.long_start:
            # the recognizer's name runs on before what the letters stand for ("a DINOv2
            # Vision Transformer (ViT)"): the definition says where the name starts
            trimmed = on_long._replace(start=ab.long_start)
            kept.replace(on_long, trimmed)
            on_long = trimmed
        elif on_long is not None and on_long.start > ab.long_start and is_possible_name(ab.long(text)):
            # the recognizer's name is only the end of what the letters stand for ("doubly
            # stochastic Transformer (QDSFormer)" found as "Transformer"): the short form is the
            # whole long form's, not the field's "transformer"
            for c in [c for c in kept.items if ab.long_start <= c.start and c.end <= on_long.start]:
                kept.remove(c)  # names inside the long form are parts of it
            if kept.overlapping(ab.long_start, on_long.start) is None:
                widened = on_long._replace(start=ab.long_start)
                kept.replace(on_long, widened)
                on_long = widened
        on_short = kept.overlapping(ab.short_start, ab.short_end)
        typed = on_long or on_short
        if typed is None:
            continue  # the recognizer read neither form as an entity ("natural language processing (NLP)")
        long = text[on_long.start : on_long.end] if on_long is not None else ab.long(text)
        short = ab.short(text)
        if on_long is None and is_possible_name(long):
            kept.add(Candidate(ab.long_start, ab.long_end, typed.type, "acronym", CONFIDENCE["acronym"]))
        if not is_possible_name(short):
            continue  # "M$^2$D": the acronym is written in LaTeX
        if on_short is None:
            kept.add(Candidate(ab.short_start, ab.short_end, typed.type, "acronym", CONFIDENCE["acronym"], long))
        elif (on_short.start, on_short.end) == (ab.short_start, ab.short_end):
            kept.replace(on_short, on_short._replace(long_form=long))
        for s, e in occurrences(short):
            kept.add(Candidate(s, e, typed.type, "acronym", CONFIDENCE["acronym"], long))


def _repeats(text: str, kept: _Spans, occurrences: _Occurrences) -> None:
    seen: dict[str, EntityType] = {}
    for c in list(kept.items):
        if c.source == "ner":
            seen.setdefault(text[c.start : c.end], c.type)
    for form, typ in seen.items():
        if len(form) < 2:
            continue
        for s, e in occurrences(form):
            kept.add(Candidate(s, e, typ, "repeat", CONFIDENCE["repeat"]))


def find_candidates(
    text: str,
    *,
    sents: Sequence[tuple[int, int]] = (),
    ents: Iterable[tuple[int, int, str]] = (),
    abbreviations: Sequence[Abbreviation] = (),
    lexicon: Iterable[tuple[int, int, EntityType, bool]] = (),
    rules: frozenset[str] = DEFAULT_RULES,
) -> list[Candidate]:
    """All typed, non-overlapping candidate mentions in ``text``, in text order.

    Parameters
    ----------
    text : the title or abstract.
    sents : sentence boundaries as ``(start, end)`` character offsets.
    ents : the recognizer's spans ``(start, end, label)``.
    abbreviations : acronym definitions found in the text.
    lexicon : lexicon matches ``(start, end, type, is_concept)`` (used by the ``lexicon`` rule).
    rules : which rules of :mod:`kg.extract.rules` to apply.

    Examples
    --------
    >>> t = "We propose Low-Rank Adaptation (LoRA). LoRA beats BitFit; LoRAs are small."
    >>> ents = [(11, 30, "METHOD"), (50, 56, "METHOD")]
    >>> from kg.extract.abbreviations import find_abbreviations
    >>> [(t[c.start:c.end], c.type, c.source) for c in find_candidates(t, sents=[(0, 38), (39, 74)], ents=ents,
    ...     abbreviations=find_abbreviations(t))]
    [('Low-Rank Adaptation', 'METHOD', 'ner'), ('LoRA', 'METHOD', 'acronym'), ('LoRA', 'METHOD', 'acronym'), ('BitFit', 'METHOD', 'ner'), ('LoRAs', 'METHOD', 'acronym')]
    """
    sents = list(sents) or [(0, len(text))]
    kept = _Spans()
    for c in sorted(_recognized(text, sents, ents), key=lambda c: (-(c.end - c.start), c.start)):
        kept.add(c)
    if "lexicon" in rules:
        for s, e, typ, _concept in lexicon:
            kept.add(Candidate(s, e, typ, "lexicon", CONFIDENCE["lexicon"]))
    if rules & {"acronyms", "repeats"}:
        occurrences = _Occurrences(text)
        if "acronyms" in rules:
            _acronyms(text, kept, abbreviations, occurrences)
        if "repeats" in rules:
            _repeats(text, kept, occurrences)
    return list(kept.items)
