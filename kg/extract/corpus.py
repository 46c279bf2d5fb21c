"""From per-text pipeline results to a corpus of papers, mentions and entities.

Per paper: a name found in the title or the abstract is a mention wherever the other field
writes it (the ``cross_field`` rule); with ``corpus_acronyms`` a short form defined in one
paper is recognised in the others. Across the corpus, every mention is resolved to an entity
by :func:`kg.resolve.resolve` (keys, acronym senses, families). Per paper again, the learned
:mod:`kg.extract.decide` model gives each entity the paper mentions its type in that paper
(and, for a model trained with a keep decision, drops what is no entity) and decides whether
the paper introduces it; an entity's type is the vote of its papers; with ``hubs`` a concept
many papers use is introduced by none; the other roles come from the cues around its mentions
(:mod:`kg.extract.roles`).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from kg.extract.abbreviations import find_abbreviations
from kg.extract.candidates import Candidate, DocResult
from kg.extract.decide import DecisionModel, Occurrence, entity_features, load_decision_model, recognizer_features
from kg.extract.frequency import NameCounts, load_frequencies, name_key, shared_name
from kg.extract.lexicon import load_lexicon
from kg.extract.roles import mention_role
from kg.extract.rules import check_rules
from kg.extract.spans import sentence_of
from kg.model import Entity, EntityType, Extraction, Field, Mention, Paper, Role, strongest_role
from kg.resolve import Form, PaperForms, normalize, resolve
from kg.resolve.acronyms import group_senses
from kg.resolve.keys import entity_key

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

    field: Field
    start: int
    end: int
    type: EntityType
    source: str
    confidence: float
    role: Role
    sentence: int
    long_form: str | None


def _typed(
    m: _Raw, type_: EntityType, texts: Mapping[str, str], sents: Mapping[str, Sequence[tuple[int, int]]]
) -> _Raw:
    """A mention with the type its entity has in the paper, and its role read again when the
    recognizer had labelled it otherwise: a dataset the paper evaluates on is a benchmark there,
    and a benchmark the paper trains on is not evaluated on."""
    if m.type == type_:
        return m
    sent = sents[m.field][m.sentence] if sents[m.field] else (0, len(texts[m.field]))
    role = mention_role(texts[m.field], sent, Candidate(m.start, m.end, type_, m.source, m.confidence, m.long_form))
    return m._replace(type=type_, role=role)


def _field_mentions(field: Field, text: str, res: DocResult) -> list[_Raw]:
    return [
        _Raw(field, c.start, c.end, c.type, c.source, c.confidence, role, sentence_of(res.sents, c.start), c.long_form)
        for c, role in zip(res.candidates, res.roles, strict=True)
    ]


_CROSS: dict[Field, Field] = {"title": "abstract", "abstract": "title"}


def _cross_field(texts: dict[str, str], raw: list[_Raw], sents: dict[str, list[tuple[int, int]]]) -> list[_Raw]:
    """A name found in one field is a mention wherever the other field writes it (the
    recognizer reads a Title Case title and its abstract apart)."""
    added: list[_Raw] = []
    for field, other in _CROSS.items():
        text = texts[other]
        if not text:
            continue
        taken = sorted((m.start, m.end) for m in raw + added if m.field == other)
        forms = {texts[field][m.start : m.end]: m for m in raw if m.field == field and m.source != "repeat"}
        for form, m in forms.items():
            if len(form) < 2:
                continue
            for hit in re.finditer(rf"(?<![\w\-]){re.escape(form)}(?![\w\-])", text):
                s, e = hit.start(), hit.end()
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                ss = sents.get(other) or [(0, len(text))]
                added.append(
                    _Raw(other, s, e, m.type, "repeat", m.confidence, "mentions", sentence_of(ss, s), m.long_form)
                )
    return added


_TOKEN = re.compile(r"[^\s,;:()\[\]{}\"“”‘’!?]+")


def _written_forms(known: Iterable[str]) -> dict[str, str]:
    """Every token that is a known short form, to that form: the form itself or its plural
    ("LLMs" and "LLMes" for "LLM"); a form itself wins over another's plural, and a plural in
    "s" over one in "es" (one dictionary look-up per token of the corpus).

    >>> sorted(_written_forms(["LLM", "LLMs", "GP"]).items())
    [('GP', 'GP'), ('GPes', 'GP'), ('GPs', 'GP'), ('LLM', 'LLM'), ('LLMes', 'LLM'), ('LLMs', 'LLMs'), ('LLMses', 'LLMs'), ('LLMss', 'LLMs')]
    """
    known = list(known)
    forms = {k + "es": k for k in known}
    forms.update({k + "s": k for k in known})
    forms.update({k: k for k in known})
    return forms


_NUMBER_WORD = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*%?(?![\w.])")


def _defined_otherwise(
    texts: Mapping[str, str], known: Mapping[str, tuple[EntityType, str]], forms: Mapping[str, str]
) -> set[str]:
    """The known short forms a paper spells out its own way, whether or not the recognizer
    read the definition as a name: "the optic cup (OC)" is not the corpus's "Optimality
    Criteria (OC)" (a paper defining one the corpus's way, "Chinese treebank (CTB)", still
    gets the corpus's reading where the recognizer missed it).

    >>> known = {"OC": ("DATASET", "Optimality Criteria"), "CTB": ("DATASET", "Chinese Treebank")}
    >>> text = "the optic cup (OC), e.g. Chinese treebank (CTB)"
    >>> sorted(_defined_otherwise({"title": "", "abstract": text}, known, {"OC": "OC", "CTB": "CTB"}))
    ['OC']
    >>> known = {"FF++": ("DATASET", "FaceForensics++")}
    >>> _defined_otherwise({"abstract": "F1 scores of 98.06% (FF++)"}, known, {"FF++": "FF++"})
    set()
    """
    out = set()
    for text in texts.values():
        if "(" not in text:
            continue
        for ab in find_abbreviations(text):
            key = forms.get(ab.short(text))
            long = ab.long(text)
            if key is None or _NUMBER_WORD.search(long):
                continue  # "F1 scores of 98.06% (FF++)" is a result, not a definition
            if entity_key(long) != entity_key(known[key][1]):
                out.add(key)
    return out


def _propagate(
    field: Field,
    text: str,
    res: DocResult,
    existing: list[_Raw],
    known: dict[str, tuple[EntityType, str]],
    own: set[str],
    forms: dict[str, str],
) -> list[_Raw]:
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
        key = forms.get(token)
        if key is None or key in own:
            continue
        span = (m.start(), m.start() + len(token))
        i = bisect.bisect_right(starts, span[0])
        if (i and taken[i - 1][1] > span[0]) or (i < len(taken) and taken[i][0] < span[1]):
            continue
        typ, _long = known[key]
        n_sent = sentence_of(sents, span[0])
        role = mention_role(text, sents[n_sent], Candidate(span[0], span[1], typ, "abbreviation", 0.7, None))
        added.append(_Raw(field, span[0], span[1], typ, "corpus_abbreviation", 0.7, role, n_sent, None))
    return added


#: a short form is not carried to the papers where nothing found it when the papers' own
#: mentions find it in significantly fewer than half of the papers that write it (one-sided
#: binomial test at this level): "SOTA", "IoU", "FPS" are written in dozens or hundreds of
#: papers and found as an entity in one or two; a form written in a few papers keeps the
#: benefit of the doubt
AGREEMENT_ALPHA = 0.05


def _at_most_half_tail(k: int, n: int) -> float:
    """``P(X <= k)`` for ``X ~ Binomial(n, 1/2)`` (exact, in log space; no scipy.stats import,
    which costs a second at start-up).

    >>> round(_at_most_half_tail(1, 13), 5), round(_at_most_half_tail(3, 6), 5), _at_most_half_tail(2, 262) < 1e-70
    (0.00171, 0.65625, True)
    """
    base = math.lgamma(n + 1) - n * math.log(2)
    terms = [base - math.lgamma(i + 1) - math.lgamma(n - i + 1) for i in range(min(k, n) + 1)]
    top = max(terms)
    return min(1.0, math.exp(top) * sum(math.exp(t - top) for t in terms))


def _agreed(
    per_paper: Sequence[tuple],
    extras: list[list[_Raw]],
    forms: dict[str, str],
    table: Mapping[str, NameCounts] | None = None,
) -> list[list[_Raw]]:
    """The propagated mentions of the short forms that the papers' own mentions do not find
    significantly less often than they leave out (:data:`AGREEMENT_ALPHA`) -- in this corpus,
    nor in the arXiv corpus of kg's frequency table (``table``; None: the shipped one), which
    has the numbers a small build lacks: one paper's "Unreal Robotics Lab (URL)" is not
    spread to "this https URL", which 91 arXiv abstracts write and kg finds in 2."""
    found: Counter = Counter()
    unfound: Counter = Counter()
    extra_keys = []  # the short-form key of every propagated mention, read once
    for (_paper, texts, _, raw), extra in zip(per_paper, extras, strict=True):
        here = {forms.get(texts[m.field][m.start : m.end]) for m in raw}
        keys = [forms.get(texts[m.field][m.start : m.end]) for m in extra]
        extra_keys.append(keys)
        found.update(k for k in here if k is not None)
        unfound.update(set(keys) - here)
    table = load_frequencies() if table is None else table

    def agreed(k: str) -> bool:
        if _at_most_half_tail(found[k], found[k] + unfound[k]) < AGREEMENT_ALPHA:
            return False
        counts = table.get(name_key(k))
        return counts is None or _at_most_half_tail(counts.found, counts.written) >= AGREEMENT_ALPHA

    keep = {k for k in unfound if agreed(k)}
    return [
        [m for m, k in zip(extra, keys, strict=True) if k in keep]
        for extra, keys in zip(extras, extra_keys, strict=True)
    ]


def build_corpus(
    papers: Sequence[Paper],
    results: Iterable[tuple[DocResult, DocResult]],
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    rules: Iterable[str] | None = None,
    decisions: DecisionModel | None = None,
) -> Corpus:
    """Assemble mentions and entities from the pipeline's results (title, abstract) per paper.

    ``min_confidence`` drops mentions below that confidence before merging; ``rules`` are the
    optional rules (:mod:`kg.extract.rules`); ``decisions`` gives each entity its type in a
    paper and decides which entities a paper introduces (kg's shipped :mod:`kg.extract.decide`
    model by default).
    """
    rules = check_rules(rules)
    decisions = decisions or load_decision_model()
    per_paper: list[tuple[Paper, dict[str, str], tuple[DocResult, DocResult], list[_Raw]]] = []
    for paper, (tres, ares) in zip(papers, results, strict=True):
        texts = {"title": paper.title, "abstract": paper.abstract}
        raw = _field_mentions("title", paper.title, tres) + _field_mentions("abstract", paper.abstract, ares)
        if "cross_field" in rules:
            raw += _cross_field(texts, raw, {"title": tres.sents, "abstract": ares.sents})
        per_paper.append((paper, texts, (tres, ares), raw))

    defined: dict[str, Counter[EntityType]] = defaultdict(Counter)  # short form -> type -> n
    long_of: dict[str, Counter] = defaultdict(Counter)  # short form -> long forms
    if "corpus_acronyms" in rules:
        for _paper, texts, _, raw in per_paper:
            for m in raw:
                if m.long_form:
                    short = texts[m.field][m.start : m.end]
                    defined[short][m.type] += 1
                    long_of[short][m.long_form] += 1
    known = {
        s: (max(types, key=lambda t: (types[t], t)), long_of[s].most_common(1)[0][0])
        for s, types in defined.items()
        if _one_sense(long_of[s])
    }

    written = _written_forms(known)
    extras = []
    for _paper, texts, (tres, ares), raw in per_paper:
        own = {texts[m.field][m.start : m.end] for m in raw if m.long_form}
        extra = _propagate("title", texts["title"], tres, raw, known, own, written) + _propagate(
            "abstract", texts["abstract"], ares, raw, known, own, written
        )
        if extra and (otherwise := _defined_otherwise(texts, known, written)):
            extra = [m for m in extra if written[texts[m.field][m.start : m.end]] not in otherwise]
        extras.append(extra)
    extras = _agreed(per_paper, extras, written)

    finished: list[tuple[Paper, dict[str, str], tuple[DocResult, DocResult], list[_Raw]]] = []
    forms: list[PaperForms] = []
    for (paper, texts, (tres, ares), raw), extra in zip(per_paper, extras, strict=True):
        allm = sorted(
            (m for m in raw + extra if m.confidence >= min_confidence), key=lambda m: (m.field != "title", m.start)
        )
        finished.append((paper, texts, (tres, ares), allm))
        forms.append(
            PaperForms(
                paper.id,
                tuple(Form(texts[m.field][m.start : m.end], m.type, m.confidence, m.long_form) for m in allm),
                context=f"{paper.title}\n{paper.abstract}",
            )
        )

    resolution = resolve(forms, lexicon=load_lexicon(), shared=shared_name(load_frequencies()))
    # per paper and entity: whether the paper really names one, and its type in the paper
    decided = []
    for (paper, texts, (tres, ares), allm), ids in zip(finished, resolution.entity_ids, strict=True):
        by_entity: dict[str, list[_Raw]] = defaultdict(list)
        for m, eid in zip(allm, ids, strict=True):
            by_entity[eid].append(m)
        sents = {"title": tres.sents, "abstract": ares.sents}
        types, context = {}, {}
        for eid, ms in list(by_entity.items()):
            feats = entity_features(
                [Occurrence(m.field, m.start, m.end) for m in ms], texts, sents, defined=any(m.long_form for m in ms)
            )
            labels = Counter(m.type for m in ms)
            t = decisions.type_of(feats, labels)
            if not decisions.kept(feats | recognizer_features(labels, (m.source for m in ms)), t):
                del by_entity[eid]
                continue
            types[eid] = t
            context[eid] = feats
        decided.append((paper, texts, sents, by_entity, types, context))
    # an entity's type is the vote of the papers; a method in one paper is a method in all
    votes: dict[str, Counter] = defaultdict(Counter)
    for _, _, _, _, types, _ in decided:
        for eid, t in types.items():
            votes[eid][t] += 1
    corpus_type = {eid: _vote(v) for eid, v in votes.items()}
    new_id = _retyped_ids(resolution.entities, corpus_type)

    entity_papers: dict[str, list[str]] = defaultdict(list)
    per_paper_roles = []
    for paper, texts, sents, by_entity, types, context in decided:
        role_of, other_role = {}, {}
        for eid, ms in by_entity.items():
            t = types[eid]
            if (t == "METHOD") != (corpus_type[eid] == "METHOD"):
                t = types[eid] = corpus_type[eid]
            ms[:] = [_typed(m, t, texts, sents) for m in ms]
            feats = context[eid] | {f"type:{t}"}  # = entity_features(..., type_=t)
            other_role[new_id[eid]] = strongest_role(m.role for m in ms)
            role_of[new_id[eid]] = "introduces" if decisions.introduced(feats) else other_role[new_id[eid]]
            entity_papers[new_id[eid]].append(paper.id)
        mentions = tuple(
            Mention(
                text=texts[m.field][m.start : m.end],
                field=m.field,
                start=m.start,
                end=m.end,
                sentence=m.sentence,
                type=types[eid],
                source=m.source,
                confidence=m.confidence,
                role=m.role,
                entity=new_id[eid],
                long_form=m.long_form,
            )
            for eid, ms in by_entity.items()
            for m in ms
        )
        mentions = tuple(sorted(mentions, key=lambda m: (m.field != "title", m.start)))
        per_paper_roles.append((paper, mentions, role_of, other_role))
    if "hubs" in rules:
        name_of = {new_id[eid]: e.name for eid, e in resolution.entities.items() if eid in new_id}
        _no_hub_introductions(per_paper_roles, name_of, load_frequencies())
    extractions = [
        Extraction(paper=paper, mentions=mentions, roles=tuple(role_of.items()))
        for paper, mentions, role_of, _ in per_paper_roles
    ]

    entities = []
    for eid, e in resolution.entities.items():
        nid = new_id.get(eid)
        if nid in entity_papers:
            family = new_id.get(e.family) if e.family else None
            entities.append(
                replace(
                    e,
                    id=nid,
                    type=corpus_type[eid],
                    papers=tuple(entity_papers[nid]),
                    family=family if family in entity_papers else None,
                )
            )
    return Corpus(extractions, sorted(entities, key=lambda e: e.id))


#: a concept the papers of a corpus use this often is nobody's introduction (share of papers, and at least)
HUB_SHARE, HUB_PAPERS = 0.01, 3
#: nor is a concept written in lower case by this many abstracts of the arXiv corpus (kg's table)
HUB_ABSTRACTS = 10


def _no_hub_introductions(
    per_paper_roles: list, name_of: dict[str, str], frequencies: Mapping[str, NameCounts]
) -> None:
    """An entity a paper introduces is one it names as its own, never a field-wide concept:
    a concept name ("transformer", "contrastive learning": no digit, no capital inside a word)
    that at least :data:`HUB_PAPERS` and :data:`HUB_SHARE` of the papers use without
    introducing it is introduced by none (the ``hubs`` rule); nor is one the paper (or the
    entity's name) writes in lower case that :data:`HUB_ABSTRACTS` or more abstracts of the arXiv corpus write
    (``frequencies``, :mod:`kg.extract.frequency`): "contrastive pre-training" (18 abstracts) is the field's
    however few papers of this corpus use it."""
    used: Counter = Counter()
    for _, _, role_of, _ in per_paper_roles:
        used.update(e for e, role in role_of.items() if role != "introduces")
    limit = max(HUB_PAPERS, HUB_SHARE * len(per_paper_roles))
    for _, mentions, role_of, other_role in per_paper_roles:
        for e in [e for e, role in role_of.items() if role == "introduces"]:
            name = name_of.get(e, "")
            written = {m.text for m in mentions if m.entity == e} | {name}
            if any(_field_concept(form, frequencies) for form in written) or (
                used[e] >= limit and not _name_like(name)
            ):
                role_of[e] = other_role[e]


def _field_concept(text: str, frequencies: Mapping[str, NameCounts]) -> bool:
    """A concept written in lower case that :data:`HUB_ABSTRACTS` or more corpus abstracts write.

    >>> table = {"contrastive pre-training": NameCounts(18, 6), "gpt-4": NameCounts(900, 880)}
    >>> [_field_concept(x, table) for x in ("contrastive pre-training", "Contrastive Pre-Training", "gpt-4")]
    [True, False, False]
    """
    if text != text.lower() or _name_like(text):
        return False
    counts = frequencies.get(name_key(text))
    return counts is not None and counts.written >= HUB_ABSTRACTS


def _name_like(name: str) -> bool:
    """A proper name rather than a concept: a digit, a capital inside a word, or a word in capitals.

    >>> [_name_like(x) for x in ("GPT-4", "mGPT", "CLAP", "transformer", "Contrastive Learning", "Pre-Training")]
    [True, True, True, False, False, False]
    """
    if any(c.isdigit() for c in name):
        return True
    for word in re.split(r"[\s\-/]+", name):
        if len(word) > 1 and (word.isupper() or any(c.isupper() for c in word[1:])):
            return True
    return False


def _retyped_ids(entities: dict[str, Entity], corpus_type: Mapping[str, str]) -> dict[str, str]:
    """Entity ids (``type:slug``) with the type the papers voted for; an id another entity
    already has keeps the resolver's."""
    taken: set[str] = set()
    new_id = {}
    for eid in sorted(corpus_type, key=lambda eid: (entities[eid].type == corpus_type[eid], eid), reverse=True):
        nid = f"{corpus_type[eid].lower()}:{eid.partition(':')[2]}"
        if nid in taken:
            nid = eid
        if nid in taken:
            nid = f"{nid}-{hashlib.sha1(eid.encode()).hexdigest()[:6]}"
        taken.add(nid)
        new_id[eid] = nid
    return new_id


def _one_sense(long_forms: Counter) -> bool:
    """Whether the long forms a corpus gives a short form all spell one name."""
    keys: Counter = Counter()
    first: dict[str, str] = {}
    for long, n in long_forms.items():
        k = normalize(long)
        keys[k] += n
        ws = long.split()
        first.setdefault(k, normalize(ws[0]) if ws else "")
    return len(group_senses(list(keys.items()), {}, first)) == 1


def _vote(votes: Mapping[str, int]) -> EntityType:
    """The corpus type of an entity from its papers' types: METHOD unless the papers that
    use it as data outnumber the others; then the commoner of DATASET and BENCHMARK.

    >>> _vote(Counter({"BENCHMARK": 3, "DATASET": 2, "METHOD": 1})), _vote(Counter({"METHOD": 1, "DATASET": 1}))
    ('BENCHMARK', 'METHOD')
    """
    data = votes.get("DATASET", 0) + votes.get("BENCHMARK", 0)
    if votes.get("METHOD", 0) >= data:
        return "METHOD"
    return "BENCHMARK" if votes.get("BENCHMARK", 0) >= votes.get("DATASET", 0) else "DATASET"
