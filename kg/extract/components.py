"""kg's spaCy components: thin wrappers around the pure functions of :mod:`kg.extract`.

Each is registered as a factory, so ``nlp.add_pipe("kg_abbreviations")`` and a
``config.cfg`` both work. Results are stored in ``Doc._`` extensions as plain tuples (never
``Span`` objects), so docs stay picklable for ``nlp.pipe(n_process=...)``:

=====================  =========================================================
``doc._.kg_abbreviations``  :class:`~kg.extract.abbreviations.Abbreviation` tuples
``doc._.kg_lexicon``        ``(start_char, end_char, type, is_concept)`` tuples (only with
                            the ``lexicon`` rule)
``doc._.kg_candidates``     :class:`~kg.extract.candidates.Candidate` tuples
``doc._.kg_roles``          one role string per candidate
=====================  =========================================================
"""

from __future__ import annotations

from typing import cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.extract.abbreviations import Abbreviation, find_abbreviations
from kg.extract.candidates import find_candidates
from kg.extract.lexicon import load_lexicon
from kg.extract.roles import assign_roles
from kg.extract.rules import DEFAULT_RULES, check_rules

__all__ = ["AbbreviationDetector", "LexiconMatcher", "CandidateFinder", "RoleTagger", "doc_sents", "doc_text"]

_TEXT, _SENTS = "kg_text", "kg_sents"  # doc.user_data keys of the two reads kept

for _name in ("kg_abbreviations", "kg_lexicon", "kg_candidates", "kg_roles"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per doc: spaCy joins every token each time it is read, and
    kg's components and result step read it three times (5-8% of extraction time)."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def doc_sents(doc: Doc) -> list[tuple[int, int]]:
    """Sentence boundaries as character offsets (the whole text when none are set), read
    once per doc once a component has set them (kg's components come after the sentencizer
    and set none)."""
    cached = doc.user_data.get(_SENTS)
    if cached is not None:
        return list(cached)
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc_text(doc)))]
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    doc.user_data[_SENTS] = tuple(sents)
    return sents


class AbbreviationDetector:
    """Finds acronym definitions (Schwartz & Hearst 2003, both orders) in ``doc.text``."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_abbreviations = [tuple(a) for a in find_abbreviations(doc_text(doc))]
        return doc


class LexiconMatcher:
    """Matches kg's lexicon: proper names case-sensitively, concept names in any case."""

    def __init__(self, nlp: Language, lexicon_path: str | None = None):
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.info: dict[str, tuple[str, bool]] = {}
        for i, entry in enumerate(load_lexicon(lexicon_path)):
            key = f"{entry.type}|{i}"
            self.info[key] = (entry.type, entry.is_concept)
            forms = list(dict.fromkeys(entry.forms))
            if not entry.is_concept:
                forms += _case_variants(forms)
            matcher = self.lower if entry.is_concept else self.exact
            matcher.add(key, list(cast(Tokenizer, nlp.tokenizer).pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        found: dict[tuple[int, int], tuple[str, bool]] = {}
        vocab = doc.vocab
        for matcher in (self.exact, self.lower):
            for key, s, e in matcher(doc):
                span = doc[s:e]
                found[(span.start_char, span.end_char)] = self.info[vocab.strings[key]]
        # drop matches inside longer matches ("GPT-4" inside "GPT-4 Turbo")
        spans = sorted(found, key=lambda se: (se[0], -(se[1] - se[0])))
        kept: list[tuple[int, int]] = []
        for se in spans:
            if kept and se[0] < kept[-1][1]:
                continue
            kept.append(se)
        doc._.kg_lexicon = [(s, e, *found[(s, e)]) for s, e in kept]
        return doc


def _case_variants(forms: list[str]) -> list[str]:
    """ "AudioSet" is also written "Audioset" and "AUDIOSET"; short or spaced names are not
    varied ("LoRA" vs "Lora" would be a guess)."""
    out = []
    for f in forms:
        if len(f) >= 5 and " " not in f and any(c.isupper() for c in f[1:]) and any(c.islower() for c in f):
            out += [f[0] + f[1:].lower(), f.upper()]
    return [v for v in dict.fromkeys(out) if v not in forms]


class CandidateFinder:
    """Turns the recognizer's entities, with the text's acronym definitions, into typed
    candidate mentions (:func:`kg.extract.candidates.find_candidates`)."""

    def __init__(self, rules: frozenset[str] = DEFAULT_RULES):
        self.rules = check_rules(rules)

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_candidates = find_candidates(
            doc_text(doc),
            sents=doc_sents(doc),
            ents=[(e.start_char, e.end_char, e.label_) for e in doc.ents],
            abbreviations=[Abbreviation(*a) for a in doc._.kg_abbreviations or ()],
            lexicon=doc._.kg_lexicon or (),
            rules=self.rules,
        )
        return doc


class RoleTagger:
    """Gives every candidate the role its sentence implies (:mod:`kg.extract.roles`); whether
    the paper introduces it is decided later, per paper and entity (:mod:`kg.extract.introduces`)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_roles = assign_roles(doc_text(doc), doc_sents(doc), doc._.kg_candidates or [])
        return doc


@Language.factory("kg_abbreviations", assigns=["doc._.kg_abbreviations"])
def make_abbreviations(nlp: Language, name: str) -> AbbreviationDetector:
    return AbbreviationDetector()


@Language.factory("kg_lexicon", assigns=["doc._.kg_lexicon"], default_config={"lexicon_path": None})
def make_lexicon(nlp: Language, name: str, lexicon_path: str | None) -> LexiconMatcher:
    return LexiconMatcher(nlp, lexicon_path)


@Language.factory(
    "kg_candidates",
    assigns=["doc._.kg_candidates"],
    requires=["doc._.kg_abbreviations"],
    default_config={"rules": sorted(DEFAULT_RULES)},
)
def make_candidates(nlp: Language, name: str, rules: list[str]) -> CandidateFinder:
    return CandidateFinder(frozenset(rules))


@Language.factory("kg_roles", assigns=["doc._.kg_roles"], requires=["doc._.kg_candidates"])
def make_roles(nlp: Language, name: str) -> RoleTagger:
    return RoleTagger()
