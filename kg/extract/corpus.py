"""From per-text pipeline results to a corpus of papers, mentions and entities.

Per paper: the title's opening name is the paper's own ("RLPrompt: ..."), acronyms defined
in the abstract also count in the title. Across the corpus: a short form defined in one
paper is recognised in the others (unless the corpus gives it several meanings), and every
mention is resolved to an entity by :func:`kg.resolve.resolve` (keys, acronym senses,
type by vote, families).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Iterable, NamedTuple, Sequence

from kg.extract.candidates import Candidate, DocResult
from kg.extract.names import is_name_like
from kg.extract.phrases import is_vague, overlaps, sentence_of
from kg.extract.usage import data_use
from kg.extract.vocab import NAME_HEADS, VAGUE
from kg.extract.lexicon import load_lexicon
from kg.extract.roles import mention_role, title_name
from kg.extract.spans import mention_span
from kg.model import Entity, Extraction, Mention, Paper, strongest_role
from kg.resolve import Form, PaperForms, coarse_type, normalize, resolve
from kg.resolve.acronyms import group_senses

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


def _title_mentions(paper: Paper, res: DocResult) -> list[_Raw]:
    """Title mentions; the name a title opens with is introduced by the paper."""
    title = paper.title
    # an acronym the title defines names the paper's own contribution
    raw = [m._replace(role="introduces") if m.source == "abbreviation" else m for m in _field_mentions("title", title, res)]
    tn = title_name(title)
    if tn is None:
        return raw
    s, e, typ = tn
    ws = title[s:e].split()
    if is_vague(title[s:e]) and not (len(ws) > 1 and all(w[:1].isupper() for w in ws)):
        return raw  # "Transformers: ..." is a topic; "Unified Work Embeddings: ..." is a name
    kept = []
    for m in raw:
        if overlaps((m.start, m.end), (s, e)):
            continue  # the title name replaces partial spans inside it
        kept.append(m)
    kept.append(_Raw("title", s, e, typ, "title", 0.85, "introduces", 0, None))
    return sorted(kept, key=lambda m: m.start)


def _title_aliases(raw: list[_Raw], texts: dict[str, str]) -> list[tuple[str, str]]:
    """Shorter names of the paper's own title name used in its abstract: "Keye-VL" for the
    title's "Kwai Keye-VL", "SNIPER" for "SNIPER Training"."""
    names = [texts["title"][m.start:m.end] for m in raw if m.source == "title"]
    if not names:
        return []
    name = names[0]
    words = name.split()
    out = []
    for m in raw:
        if m.field != "abstract":
            continue
        x = texts["abstract"][m.start:m.end]
        xw = x.split()
        if not xw or len(xw) >= len(words) or normalize(x) == normalize(name):
            continue
        if [w.lower() for w in words[-len(xw):]] == [w.lower() for w in xw] and is_name_like(xw[0]):
            out.append((x, name))
        elif [w.lower() for w in words[:len(xw)]] == [w.lower() for w in xw] and \
                all(w.lower() in VAGUE or w.lower() in NAME_HEADS for w in words[len(xw):]):
            out.append((x, name))
    return out


def _own_variants(mentions: list[_Raw], texts: dict[str, str]) -> list[_Raw]:
    """Variants of the name a paper introduces in its title are its own too: a
    "Qwen2.5 Technical Report" introduces "Qwen2.5-Turbo" and "Qwen2.5-72B-Instruct"."""
    names = [texts["title"][m.start:m.end] for m in mentions if m.source == "title" and m.role == "introduces"]
    if not names:
        return mentions
    prefix = re.compile(r"^%s[\s-]\S" % re.escape(names[0]))
    return [m._replace(role="introduces") if m.field == "abstract" and prefix.match(texts["abstract"][m.start:m.end])
            and m.role in ("mentions", "uses") else m for m in mentions]


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
        t = typ if typ == "METHOD" else data_use(text, sent, span[0], span[1], typ)
        role = mention_role(text, sent, Candidate(span[0], span[1], t, "abbreviation", 0.7, None))
        added.append(_Raw(field, span[0], span[1], t, "corpus_abbreviation", 0.7, role, sentence_of(sents, span[0]), None))
    return added


def build_corpus(papers: Sequence[Paper], results: Iterable[tuple[DocResult, DocResult]], *,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> Corpus:
    """Assemble mentions and entities from the pipeline's results (title, abstract) per paper.

    ``min_confidence`` drops mentions below that confidence before merging.
    """
    per_paper: list[tuple[Paper, dict[str, str], tuple[DocResult, DocResult], list[_Raw]]] = []
    for paper, (tres, ares) in zip(papers, results):
        texts = {"title": paper.title, "abstract": paper.abstract}
        abstract = _field_mentions("abstract", paper.abstract, ares)
        in_abstract = {normalize(paper.abstract[m.start:m.end]) for m in abstract}
        # the recognizer reads Title Case poorly: keep its title spans only when the
        # abstract names the same thing
        title = [m for m in _title_mentions(paper, tres)
                 if m.source != "ner" or normalize(paper.title[m.start:m.end]) in in_abstract]
        raw = title + abstract
        per_paper.append((paper, texts, (tres, ares), raw))

    lexicon = load_lexicon()
    defined: dict[str, Counter] = defaultdict(Counter)  # short form -> type -> n
    long_of: dict[str, Counter] = defaultdict(Counter)  # short form -> long forms
    aliases: list[dict[str, str]] = []  # per paper: short name -> the title name it shortens
    for paper, texts, _, raw in per_paper:
        for short, long in _definitions(raw, texts):
            long_of[short][long] += 1
        for m in raw:
            if m.long_form:
                defined[texts[m.field][m.start:m.end]][m.type] += 1
        aliases.append(dict(_title_aliases(raw, texts)))
    known = {s: (max(types, key=lambda t: (types[t], t)), long_of[s].most_common(1)[0][0])
             for s, types in defined.items() if s in long_of and _one_sense(long_of[s])}

    finished: list[tuple[Paper, dict[str, str], list[_Raw]]] = []
    forms: list[PaperForms] = []
    for (paper, texts, (tres, ares), raw), title_aliases in zip(per_paper, aliases):
        own = {texts[m.field][m.start:m.end] for m in raw if m.long_form}
        extra = _propagate("title", texts["title"], tres, raw, known, own) + \
            _propagate("abstract", texts["abstract"], ares, raw, known, own)
        allm = _own_variants([m for m in raw + extra if m.confidence >= min_confidence], texts)
        ordered = sorted(allm, key=lambda m: (m.field != "title", m.start))
        finished.append((paper, texts, ordered))
        surfaces = [texts[m.field][m.start:m.end] for m in ordered]
        forms.append(PaperForms(paper.id, tuple(
            Form(x, m.type, m.confidence, m.long_form or title_aliases.get(x)) for x, m in zip(surfaces, ordered)),
            context=f"{paper.title}\n{paper.abstract}"))

    resolution = resolve(forms, lexicon=lexicon)
    entity_papers: dict[str, list[str]] = defaultdict(list)
    extractions = []
    for (paper, texts, ordered), ids in zip(finished, resolution.entity_ids):
        mentions = []
        roles: dict[str, list[str]] = defaultdict(list)
        absorbed: set[int] = set()
        for k, ((field, s, e, typ, source, conf, role, sent, long), eid) in enumerate(zip(ordered, ids)):
            if k in absorbed:
                continue
            text = texts[field]
            surface = text[s:e]
            nxt = ordered[k + 1] if k + 1 < len(ordered) and ordered[k + 1].field == field else None
            # "Chinese Treebank (CTB) corpus": one mention, as annotators mark it; the
            # entity is still named by its core ("Chinese Treebank", alias "CTB")
            acro = (nxt.start, nxt.end) if nxt and nxt.long_form and normalize(nxt.long_form) == normalize(surface) else None
            s2, e2 = mention_span(text, s, e, typ, acronym=acro)
            if acro and e2 >= acro[1]:
                absorbed.add(k + 1)
                roles[eid].append(nxt.role)
            # method or data is the entity's (a vote over the corpus); dataset or benchmark
            # is how this paper uses it
            etype = resolution.entities[eid].type
            mtype = typ if coarse_type(typ) == coarse_type(etype) else etype
            mentions.append(Mention(text=text[s2:e2], field=field, start=s2, end=e2, sentence=sent, type=mtype,
                                    source=source, confidence=conf, role=role, entity=eid, long_form=long))
            roles[eid].append(role)
        paper_roles = tuple((eid, strongest_role(rs)) for eid, rs in roles.items())
        for eid in roles:
            entity_papers[eid].append(paper.id)
        extractions.append(Extraction(paper=paper, mentions=tuple(mentions), roles=paper_roles))

    entities = []
    for eid, e in resolution.entities.items():
        if eid in entity_papers:
            papers_of = tuple(entity_papers[eid])
            entities.append(e if e.papers == papers_of else replace(e, papers=papers_of))
    present = {e.id for e in entities}
    entities = [e if e.family is None or e.family in present else replace(e, family=None) for e in entities]
    return Corpus(extractions, sorted(entities, key=lambda e: e.id))


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
