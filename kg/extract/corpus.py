"""From per-text pipeline results to a corpus of papers, mentions and entities.

Per paper: a name found in the title or the abstract is a mention wherever the other field
writes it (``cross_field``). Across the corpus: mentions are merged into entities
(:class:`~kg.extract.entities.EntityMerger`); with ``corpus_acronyms`` a short form defined in
one paper is recognised in the others. Per paper again: each entity's type as the paper uses
it, and its role -- ``introduces`` decided by the learned :mod:`kg.extract.introduces`, the
others by the cues around its mentions (:mod:`kg.extract.roles`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from typing import Iterable, NamedTuple, Sequence

from kg.extract.candidates import Candidate, DocResult
from kg.extract.entities import EntityMerger
from kg.extract.lexicon import load_lexicon
from kg.extract.decide import DecisionModel, Occurrence, entity_features, load_decision_model, recognizer_features
from kg.extract.roles import mention_role
from kg.extract.rules import check_rules
from kg.extract.spans import sentence_of
from kg.model import Entity, Extraction, Mention, Paper, strongest_role

__all__ = ["build_corpus", "Corpus", "DEFAULT_MIN_CONFIDENCE"]

#: mentions below this confidence are left out of entities and the graph by default
DEFAULT_MIN_CONFIDENCE = 0.5


class Corpus:
    """The result of extraction: one :class:`Extraction` per paper and the merged entities."""

    def __init__(self, extractions: Sequence[Extraction], entities: Sequence[Entity]):
        self.extractions = tuple(extractions)
        self.entities = {e.id: e for e in entities}

    @property
    def papers(self) -> list[Paper]:
        return [x.paper for x in self.extractions]

    def __len__(self) -> int:
        return len(self.extractions)

    def __repr__(self) -> str:
        return f"<Corpus {len(self.extractions)} papers, {len(self.entities)} entities>"


class _Raw(NamedTuple):
    """A mention before entity merging (the pipeline's candidate, placed in its paper)."""

    field: str
    start: int
    end: int
    type: str
    source: str
    confidence: float
    role: str
    sentence: int
    long_form: str | None


def _field_mentions(field: str, text: str, res: DocResult) -> list[_Raw]:
    return [_Raw(field, c.start, c.end, c.type, c.source, c.confidence, role, sentence_of(res.sents, c.start),
                 c.long_form) for c, role in zip(res.candidates, res.roles)]


_CROSS = {"title": "abstract", "abstract": "title"}


def _cross_field(texts: dict[str, str], raw: list[_Raw], sents: dict[str, list[tuple[int, int]]]) -> list[_Raw]:
    """A name found in one field is a mention wherever the other field writes it (the
    recognizer reads a Title Case title and its abstract apart)."""
    added: list[_Raw] = []
    for field, other in _CROSS.items():
        text = texts[other]
        if not text:
            continue
        taken = sorted((m.start, m.end) for m in raw + added if m.field == other)
        forms = {texts[field][m.start:m.end]: m for m in raw if m.field == field and m.source != "repeat"}
        for form, m in forms.items():
            if len(form) < 2:
                continue
            for hit in re.finditer(rf"(?<![\w\-]){re.escape(form)}(?![\w\-])", text):
                s, e = hit.start(), hit.end()
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                ss = sents.get(other) or [(0, len(text))]
                added.append(_Raw(other, s, e, m.type, "repeat", m.confidence, "mentions", sentence_of(ss, s),
                                  m.long_form))
    return added


def _definitions(paper_mentions: list[_Raw], texts: dict[str, str]) -> list[tuple[str, str]]:
    return [(texts[m.field][m.start:m.end], m.long_form) for m in paper_mentions if m.long_form]


_TOKEN = re.compile(r"[^\s,;:()\[\]{}\"“”‘’!?]+")


def _short_form_key(token: str, known: dict) -> str | None:
    """The known short form a token is (allowing a plural: "LLMs" for "LLM")."""
    if token in known:
        return token
    for suffix in ("s", "es"):
        if token.endswith(suffix) and token[: -len(suffix)] in known:
            return token[: -len(suffix)]
    return None


def _propagate(field: str, text: str, res: DocResult, existing: list[_Raw],
               known: dict[str, tuple[str, str]], own: set[str]) -> list[_Raw]:
    """Occurrences of short forms defined elsewhere in the corpus (one pass over the tokens,
    whatever the number of known short forms)."""
    if not known or not text:
        return []
    taken = sorted((m.start, m.end) for m in existing if m.field == field)
    starts = [a for a, _ in taken]
    sents = res.sents or [(0, len(text))]
    added = []
    for m in _TOKEN.finditer(text):
        token = m.group(0).rstrip(".")
        key = _short_form_key(token, known)
        if key is None or key in own:
            continue
        span = (m.start(), m.start() + len(token))
        i = bisect.bisect_right(starts, span[0])
        if (i and taken[i - 1][1] > span[0]) or (i < len(taken) and taken[i][0] < span[1]):
            continue
        typ, _long = known[key]
        sent = sents[sentence_of(sents, span[0])]
        role = mention_role(text, sent, Candidate(span[0], span[1], typ, "abbreviation", 0.7, None))
        added.append(_Raw(field, span[0], span[1], typ, "corpus_abbreviation", 0.7, role, sentence_of(sents, span[0]), None))
    return added


def build_corpus(papers: Sequence[Paper], results: Iterable[tuple[DocResult, DocResult]], *,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, rules: Iterable[str] | None = None,
                 decisions: DecisionModel | None = None) -> Corpus:
    """Assemble mentions and entities from the pipeline's results (title, abstract) per paper.

    ``min_confidence`` drops mentions below that confidence before merging; ``rules`` are the
    optional rules (:mod:`kg.extract.rules`); ``decisions`` gives each entity its type in a
    paper and decides which entities a paper introduces (kg's shipped :mod:`kg.extract.decide`
    model by default).
    """
    rules = check_rules(rules)
    decisions = decisions or load_decision_model()
    per_paper: list[tuple[Paper, dict[str, str], tuple[DocResult, DocResult], list[_Raw]]] = []
    for paper, (tres, ares) in zip(papers, results):
        texts = {"title": paper.title, "abstract": paper.abstract}
        raw = _field_mentions("title", paper.title, tres) + _field_mentions("abstract", paper.abstract, ares)
        if "cross_field" in rules:
            raw += _cross_field(texts, raw, {"title": tres.sents, "abstract": ares.sents})
        per_paper.append((paper, texts, (tres, ares), raw))

    merger = EntityMerger(load_lexicon())
    defined: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))  # short -> type -> n
    long_of: dict[str, str] = {}
    for paper, texts, _, raw in per_paper:
        for short, long in _definitions(raw, texts):
            merger.add_definition(paper.id, short, long)
            long_of.setdefault(short, long)
        for m in raw:
            if m.long_form:
                defined[texts[m.field][m.start:m.end]][m.type] += 1

    known = {s: (max(types, key=types.get), long_of[s]) for s, types in defined.items()
             if not merger.ambiguous(s) and s in long_of} if "corpus_acronyms" in rules else {}

    finished: list[tuple[Paper, dict[str, str], tuple[DocResult, DocResult], list[_Raw]]] = []
    for paper, texts, (tres, ares), raw in per_paper:
        own = {texts[m.field][m.start:m.end] for m in raw if m.long_form}
        extra = _propagate("title", texts["title"], tres, raw, known, own) + \
            _propagate("abstract", texts["abstract"], ares, raw, known, own)
        allm = sorted((m for m in raw + extra if m.confidence >= min_confidence), key=lambda m: (m.field != "title", m.start))
        for m in allm:
            merger.add_mention(paper.id, texts[m.field][m.start:m.end], m.type, m.confidence)
        finished.append((paper, texts, (tres, ares), allm))

    merger.resolve()
    # per paper and entity: its type in the paper and whether the paper introduces it
    decided = []
    for paper, texts, (tres, ares), allm in finished:
        by_entity: dict[str, list[_Raw]] = defaultdict(list)
        for m in allm:
            by_entity[merger.entity_of(paper.id, texts[m.field][m.start:m.end])].append(m)
        sents = {"title": tres.sents, "abstract": ares.sents}
        types = {}
        for eid, ms in list(by_entity.items()):
            feats = entity_features([Occurrence(m.field, m.start, m.end) for m in ms], texts, sents,
                                    defined=any(m.long_form for m in ms))
            labels = Counter(m.type for m in ms)
            if not decisions.kept(feats | recognizer_features(labels, (m.source for m in ms))):
                del by_entity[eid]
                continue
            types[eid] = decisions.type_of(feats, labels)
        decided.append((paper, texts, sents, by_entity, types))
    # an entity's type is the vote of the papers; a method in one paper is a method in all
    votes: dict[str, Counter] = defaultdict(Counter)
    for _, _, _, _, types in decided:
        for eid, t in types.items():
            votes[eid][t] += 1
    corpus_type = {eid: _vote(v) for eid, v in votes.items()}

    entity_papers: dict[str, list[str]] = defaultdict(list)
    extractions = []
    for paper, texts, sents, by_entity, types in decided:
        role_of = {}
        for eid, ms in by_entity.items():
            t = types[eid]
            if (t == "METHOD") != (corpus_type[eid] == "METHOD"):
                t = types[eid] = corpus_type[eid]
            feats = entity_features([Occurrence(m.field, m.start, m.end) for m in ms], texts, sents, type_=t,
                                    defined=any(m.long_form for m in ms))
            role_of[eid] = "introduces" if decisions.introduced(feats) else strongest_role(m.role for m in ms)
            entity_papers[eid].append(paper.id)
        mentions = tuple(
            Mention(text=texts[m.field][m.start:m.end], field=m.field, start=m.start, end=m.end, sentence=m.sentence,
                    type=types[eid], source=m.source, confidence=m.confidence, role=m.role, entity=eid,
                    long_form=m.long_form)
            for eid, ms in by_entity.items() for m in ms)
        mentions = tuple(sorted(mentions, key=lambda m: (m.field != "title", m.start)))
        extractions.append(Extraction(paper=paper, mentions=mentions, roles=tuple(role_of.items())))

    entities = []
    for eid, name, _type, aliases in merger.entities:
        if eid in entity_papers:
            entities.append(Entity(id=eid, name=name, type=corpus_type[eid], aliases=aliases,
                                   papers=tuple(entity_papers[eid])))
    return Corpus(extractions, sorted(entities, key=lambda e: e.id))


def _vote(votes: Counter) -> str:
    """The corpus type of an entity from its papers' types: METHOD unless the papers that
    use it as data outnumber the others; then the commoner of DATASET and BENCHMARK.

    >>> _vote(Counter({"BENCHMARK": 3, "DATASET": 2, "METHOD": 1})), _vote(Counter({"METHOD": 1, "DATASET": 1}))
    ('BENCHMARK', 'METHOD')
    """
    data = votes.get("DATASET", 0) + votes.get("BENCHMARK", 0)
    if votes.get("METHOD", 0) >= data:
        return "METHOD"
    return "BENCHMARK" if votes.get("BENCHMARK", 0) >= votes.get("DATASET", 0) else "DATASET"
