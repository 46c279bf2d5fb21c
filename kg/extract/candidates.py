"""Finding METHOD / DATASET / BENCHMARK mentions in one text: pure functions over plain data.

Five sources propose candidate spans, all as character offsets into the text:

``ner``            the statistical entity recognizer shipped with kg (trained on SciREX)
``lexicon``        kg's list of well-known names (:mod:`kg.extract.lexicon`)
``abbreviation``   acronyms and long forms (:mod:`kg.extract.abbreviations`), typed by
                   what their long form is
``headed``         names written before a dataset head noun ("the Brown corpus")
``name``           name-shaped tokens ("GPT-4o", "LoRA", "Claude 3 Opus", :mod:`kg.extract.names`)

:func:`find_candidates` tightens them (:mod:`kg.extract.phrases`), drops vague ones, decides
dataset vs benchmark by use (:mod:`kg.extract.usage`), resolves overlaps (higher priority,
then longer) and gives each survivor a confidence. Overlap checks use sorted interval
indexes, so a 1 MB abstract costs about as much per character as a short one. The spaCy
component in :mod:`kg.extract.components` only collects the inputs from a ``Doc``.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable, NamedTuple, Sequence

from kg.extract.abbreviations import Abbreviation
from kg.extract.names import is_name_like, name_spans
from kg.extract.phrases import (
    DATA_VERSION,
    NOT_DATA_HEADS,
    headed_names,
    is_language_data,
    sentence_of,
    split_coordination,
    trim,
    words,
)
from kg.extract.usage import METHODISH_NEXT, appositive_head, data_use, head_type, name_type, next_word
from kg.extract.vocab import (
    BENCHMARK_HEADS,
    DATASET_HEADS,
    NAME_HEADS,
    NON_METHOD_HEADS,
    NOT_NAMES,
    TASK_HEADS,
)

__all__ = ["Candidate", "find_candidates", "PRIORITY"]


class Candidate(NamedTuple):
    """A typed span of a text that may name a method, dataset or benchmark."""

    start: int
    end: int
    type: str
    source: str
    confidence: float
    #: for an acronym defined in this text: its long form
    long_form: str | None = None


class DocResult(NamedTuple):
    """What the pipeline found in one text, as plain data (picklable, no spaCy types)."""

    sents: list[tuple[int, int]]
    candidates: list[Candidate]
    roles: list[str]


#: which source wins an overlap (then the longer span)
PRIORITY = {"abbreviation": 4, "lexicon": 3, "headed": 2, "ner": 2, "name": 1}

_Proposal = tuple  # (priority, start, end, type, source, confidence, long_form)


class _Disjoint:
    """Disjoint intervals kept sorted by start: O(log n) overlap checks."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.items: list[tuple[int, int, object]] = []

    def find(self, s: int, e: int):
        """The value of an interval overlapping [s, e), or None. Only the last interval
        starting at or before ``s`` and the first starting after it can overlap."""
        i = bisect.bisect_right(self.starts, s)
        for j in (i - 1, i):
            if 0 <= j < len(self.items):
                a, b, value = self.items[j]
                if a < e and s < b:
                    return value
        return None

    def add(self, s: int, e: int, value) -> None:
        """Add [s, e); intervals it overlaps are merged into it (the new value is kept)."""
        i = bisect.bisect_right(self.starts, s)
        if i and self.items[i - 1][1] > s:
            i -= 1
            s = min(s, self.items[i][0])
            e = max(e, self.items[i][1])
            del self.starts[i], self.items[i]
        while i < len(self.items) and self.items[i][0] < e:
            e = max(e, self.items[i][1])
            del self.starts[i], self.items[i]
        self.starts.insert(i, s)
        self.items.insert(i, (s, e, value))

    def values(self) -> list:
        return [v for _, _, v in self.items]


class _Pool:
    """The candidates proposed so far and the regions no entity may take (TASK/METRIC)."""

    def __init__(self, text: str, sents: Sequence[tuple[int, int]]):
        self.text = text
        self.sents = list(sents) or [(0, len(text))]
        self.proposals: list[_Proposal] = []
        self.blocked = _Disjoint()

    def sent_at(self, pos: int) -> tuple[int, int]:
        return self.sents[sentence_of(self.sents, pos)]

    def block(self, s: int, e: int) -> None:
        self.blocked.add(s, e, True)

    def is_blocked(self, s: int, e: int) -> bool:
        return self.blocked.find(s, e) is not None

    def add(self, s: int, e: int, typ: str, source: str, conf: float, *, prio: int | None = None,
            long: str | None = None, do_trim: bool = True) -> None:
        """Propose a span after the shared checks: trimming, unnamed data, dataset vs benchmark."""
        text = self.text
        if do_trim:
            t = trim(text, s, e)
            if t is None:
                return
            s, e = t
        if typ in ("DATASET", "BENCHMARK") and source != "lexicon":
            if is_language_data(text[s:e]):
                return  # "Chinese-English", "English documents": not a named dataset
            last = words(text[s:e])[-1:]
            if last and last[0] in NOT_DATA_HEADS:
                return  # "the CoNLL shared task", "the evaluation script": not the data
            if source == "ner" and not any(is_name_like(w) or w[:1].isupper() for w in text[s:e].split()):
                return  # "movie reviews", "in-domain data": unnamed data is no entity
        if typ in ("DATASET", "BENCHMARK"):
            m = DATA_VERSION.match(text, e)
            if m:
                e = m.end()  # "CTB 5.1", "TAC 2009", "SQuAD 2.0": the version is part of the name
        if source != "lexicon":
            if "bench" in text[s:e].lower() and typ != "BENCHMARK":
                typ = "BENCHMARK"
            app = head_type(appositive_head(text, e))
            if app in ("DATASET", "BENCHMARK"):  # "PRECOG, a corpus of ..."
                typ = app
        if typ in ("DATASET", "BENCHMARK"):
            typ = data_use(text, self.sent_at(s), s, e, typ)
        self.proposals.append((PRIORITY[source] if prio is None else prio, s, e, typ, source, conf, long))

    def of_source(self, source: str) -> list[_Proposal]:
        return [p for p in self.proposals if p[4] == source]


def _from_recognizer(pool: _Pool, ents: Iterable[tuple[int, int, str]], lexicon: list) -> None:
    text = pool.text
    lex_ends: dict[int, list[int]] = {}
    for s, e, _, _ in lexicon:
        lex_ends.setdefault(s, []).append(e)
    ents = list(ents)
    for s, e, label in ents:
        if label in ("TASK", "METRIC"):
            pool.block(s, e)
    for s, e, label in ents:
        if label not in ("METHOD", "DATASET"):
            continue
        for a, b in split_coordination(text, s, e):
            if len(text[a:b].split()) > 7 or re.search(r"\s[-–—]\s", text[a:b]):
                continue
            t = trim(text, a, b)
            if t is None:
                continue
            a, b = t
            # "Transformer architecture" is the lexicon's "Transformer"
            if any(le < b and all(w in NAME_HEADS for w in words(text[le:b])) for le in lex_ends.get(a, ())):
                continue
            ws = text[a:b].split()
            named = any(is_name_like(w) for w in ws)
            last = words(text[a:b])[-1:]
            if not named and label == "METHOD" and last and (last[0] in NON_METHOD_HEADS or last[0] in TASK_HEADS):
                continue
            if not named and label == "METHOD" and last[0].endswith("ed"):
                continue  # "speech technology pre-trained": a description ending in a participle
            if named:
                conf = 0.75
            elif len(ws) == 1 and "-" not in ws[0]:
                conf = 0.45  # one generic word ("sampling", "finetuning"): weak evidence
            else:
                conf = 0.65
            pool.add(a, b, label, "ner", conf, do_trim=False)


def _from_lexicon(pool: _Pool, lexicon: list) -> None:
    for s, e, typ, concept in lexicon:
        if typ != "METHOD" and pool.is_blocked(s, e):
            continue  # "RTE" where the recognizer reads the task, not the data
        pool.add(s, e, typ, "lexicon", 0.75 if concept else 0.9,
                 prio=PRIORITY["ner"] if concept else None, do_trim=False)


def _abbreviation_type(pool: _Pool, ab: Abbreviation, by_start: list[tuple[int, _Proposal]]) -> tuple[str | None, float]:
    """The type of an acronym definition: from a candidate on its long (or short) form, else
    from the word after "(X)", else from the long form's last word."""
    text = pool.text
    best = None
    # proposals are short: only those starting up to 300 characters before can overlap
    i = bisect.bisect_left(by_start, (ab.long_start - 300,))
    while i < len(by_start) and by_start[i][0] < max(ab.long_end, ab.short_end):
        p = by_start[i][1]
        i += 1
        prio, s, e, typ = p[0], p[1], p[2], p[3]
        if (s < ab.long_end and ab.long_start < e) or (ab.short_start <= s and e <= ab.short_end):
            if best is None or (prio, e - s) > (best[0], best[2] - best[1]):
                best = (prio, s, e, typ)
    if best is not None:
        return best[3], 0.9
    nxt = next_word(text, ab.short_end + 1)  # the word after "(X)"
    if nxt in DATASET_HEADS:
        return "DATASET", 0.8
    if nxt in BENCHMARK_HEADS:
        return "BENCHMARK", 0.8
    if nxt in METHODISH_NEXT:
        return "METHOD", 0.8
    last = words(text[ab.long_start:ab.long_end])[-1:]
    if last and last[0].rstrip("s") in {w.rstrip("s") for w in METHODISH_NEXT}:
        return "METHOD", 0.75
    if last and (last[0] in TASK_HEADS or last[0] in NON_METHOD_HEADS):
        return None, 0.0
    return "METHOD", 0.55  # most defined acronyms in CS abstracts name techniques


def _from_abbreviations(pool: _Pool, abbreviations: Iterable[Abbreviation]) -> None:
    text = pool.text
    by_start = sorted(((p[1], p) for p in pool.proposals), key=lambda sp: sp[0])
    lexicon = _Disjoint()
    for p in pool.of_source("lexicon"):
        lexicon.add(p[1], p[2], True)
    short_types: dict[str, tuple[str, str, float]] = {}
    for ab in abbreviations:
        long = text[ab.long_start:ab.long_end]
        short = text[ab.short_start:ab.short_end]
        if short.lower().rstrip("s") in NOT_NAMES or short.lower() in NOT_NAMES:
            short_types[short] = ("", long, 0.0)  # a field or task acronym ("NLP", "TTS")
            pool.block(ab.long_start, ab.long_end)
            continue
        if pool.is_blocked(ab.long_start, ab.long_end) and lexicon.find(ab.long_start, ab.long_end) is None:
            short_types[short] = ("", long, 0.0)  # a task or metric acronym: never an entity
            continue
        typ, conf = _abbreviation_type(pool, ab, by_start)
        if typ is None:
            continue
        short_types[short] = (typ, long, conf)
        pool.add(ab.long_start, ab.long_end, typ, "abbreviation", conf, do_trim=False)
        short_type = typ if typ == "METHOD" else data_use(text, pool.sent_at(ab.short_start), ab.short_start,
                                                          ab.short_end, typ)
        pool.proposals.append((PRIORITY["abbreviation"], ab.short_start, ab.short_end, short_type, "abbreviation",
                               conf, long))
    # every other occurrence of a short form takes the short form's type (one pass for all)
    if not short_types:
        return
    alternatives = "|".join(re.escape(x) for x in sorted(short_types, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\w\-])({alternatives})(?:s|es)?(?![\w\-])", text):
        typ, long, conf = short_types[m.group(1)]
        if not typ:
            pool.block(m.start(), m.end())
            continue
        t = typ if typ == "METHOD" else data_use(text, pool.sent_at(m.start()), m.start(), m.end(), typ)
        pool.proposals.append((PRIORITY["abbreviation"], m.start(), m.end(), t, "abbreviation", conf, long))


def _drop_crossing_recognizer_spans(pool: _Pool) -> None:
    """A recognizer span crossing the edge of a lexicon term has its boundary wrong
    ("language model training" across "large language model"): the lexicon term stands."""
    lexicon = sorted((p[1], p[2]) for p in pool.of_source("lexicon"))
    starts = [s for s, _ in lexicon]

    def crosses(s: int, e: int) -> bool:
        i = bisect.bisect_left(starts, s - 300)
        while i < len(lexicon) and lexicon[i][0] < e:
            a, b = lexicon[i]
            i += 1
            if a < e and s < b and not (s <= a and b <= e):
                return True
        return False

    pool.proposals = [p for p in pool.proposals if p[4] != "ner" or not crosses(p[1], p[2])]


def _from_shapes(pool: _Pool) -> None:
    text = pool.text
    lexicon = sorted((p[1], p[2], p[3]) for p in pool.of_source("lexicon"))
    starts = [s for s, _, _ in lexicon]
    for s, e, typ in headed_names(text, pool.sents):
        if not pool.is_blocked(s, e):
            pool.add(s, e, typ, "headed", 0.7)
    for s, e in name_spans(text, pool.sents):
        if pool.is_blocked(s, e):
            continue
        i = bisect.bisect_left(starts, s)
        inner = [(a, b, t) for a, b, t in lexicon[i:bisect.bisect_left(starts, e)] if b <= e and (a, b) != (s, e)]
        if inner:
            # "Qwen2.5-72B-Instruct" extends the lexicon's "Qwen2.5": the longer name wins
            pool.add(s, e, inner[0][2], "name", 0.85, prio=PRIORITY["lexicon"], do_trim=False)
        else:
            typ, conf = name_type(text, pool.sent_at(s), s, e)
            pool.add(s, e, typ, "name", conf, do_trim=False)


_LIST_GLUE = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|/\s*)$")


def _type_lists(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Names listed together share a type: in "NIST02, NIST05 and GSM8K", a bare name takes the
    type its better-grounded neighbours (lexicon, recognizer, acronym) agree on."""
    out = list(cands)
    i = 0
    while i < len(out):
        j = i
        while j + 1 < len(out) and _LIST_GLUE.match(text[out[j].end:out[j + 1].start]):
            j += 1
        if j > i:
            group = out[i:j + 1]
            votes = [c.type for c in group if c.source not in ("name", "headed")]
            if votes:
                typ = max(set(votes), key=votes.count)
                if votes.count(typ) * 2 > len(votes):
                    for k in range(i, j + 1):
                        if out[k].source == "name" and out[k].type != typ and out[k].confidence <= 0.55:
                            out[k] = out[k]._replace(type=typ)
        i = j + 1
    return out


def _resolve(pool: _Pool) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher priority, then longer; agreement of
    several sources on a span raises its confidence."""
    order = sorted(pool.proposals, key=lambda p: (-p[0], -(p[2] - p[1]), -PRIORITY[p[4]], p[1]))
    kept = _Disjoint()
    for prio, s, e, typ, source, conf, long in order:
        if source in ("ner", "name") and pool.is_blocked(s, e):
            continue
        clash = kept.find(s, e)
        if clash is None:
            kept.add(s, e, [s, e, typ, source, conf, long, {source}])
        else:
            clash[6].add(source)
    out = []
    for s, e, typ, source, conf, long, sources in kept.values():
        if len(sources) > 1:
            conf = min(0.99, conf + 0.1)
        out.append(Candidate(s, e, typ, source, round(conf, 3), long))
    return _type_lists(pool.text, out)


def find_candidates(
    text: str,
    *,
    sents: Sequence[tuple[int, int]] = (),
    ents: Iterable[tuple[int, int, str]] = (),
    lexicon: Iterable[tuple[int, int, str, bool]] = (),
    abbreviations: Iterable[Abbreviation] = (),
) -> list[Candidate]:
    """All typed, non-overlapping candidate mentions in ``text``, in text order.

    Parameters
    ----------
    text : the title or abstract.
    sents : sentence boundaries as ``(start, end)`` character offsets.
    ents : statistical NER spans ``(start, end, label)``; labels METHOD, DATASET, TASK, METRIC.
    lexicon : lexicon matches ``(start, end, type, is_concept)``.
    abbreviations : acronym definitions found in the text.

    Examples
    --------
    >>> t = "We fine-tune LLaMA with Low-Rank Adaptation (LoRA) and evaluate on GSM8K."
    >>> from kg.extract.abbreviations import find_abbreviations
    >>> lex = [(t.index(n), t.index(n) + len(n), typ, False) for n, typ in [("LLaMA", "METHOD"), ("GSM8K", "BENCHMARK")]]
    >>> [(t[c.start:c.end], c.type) for c in find_candidates(t, sents=[(0, len(t))], lexicon=lex,
    ...     abbreviations=find_abbreviations(t))]
    [('LLaMA', 'METHOD'), ('Low-Rank Adaptation', 'METHOD'), ('LoRA', 'METHOD'), ('GSM8K', 'BENCHMARK')]
    """
    pool = _Pool(text, sents)
    lexicon = list(lexicon)
    _from_recognizer(pool, ents, lexicon)
    _from_lexicon(pool, lexicon)
    _from_abbreviations(pool, abbreviations)
    _drop_crossing_recognizer_spans(pool)
    _from_shapes(pool)
    return _resolve(pool)
