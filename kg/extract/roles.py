"""What a paper does with each thing it mentions: pure functions over text and spans.

Roles, strongest first (:data:`kg.model.ROLES`):

``introduces``     "we propose/introduce/present/release X", "X, a novel ...", "named X",
                   "X is proposed", or X is the name a title opens with ("X: ...",
                   "X Technical Report")
``evaluates_on``   a benchmark the paper reports results on
``compares_with``  "outperforms X", "compared with X", "better than X", "baselines such as X"
``uses``           "using X", "based on X", "fine-tune X", "trained on X", "with X"
``mentions``       anything else

The nearest cue before a mention in its sentence decides; a cue does not reach across a
clause boundary ("we propose a method to fuse LLMs": the LLMs are not introduced).
"""

from __future__ import annotations

import re
from typing import Sequence

from kg.extract.candidates import Candidate
from kg.extract.names import is_name_like
from kg.extract.phrases import sentence_of

__all__ = ["mention_role", "assign_roles", "title_name"]

_INTRO_VERB = (
    r"(?:propose[sd]?|introduce[sd]?|introducing|present(?:s|ed)?|release[sd]?|releasing|develop(?:s|ed)?|"
    r"build|built|construct(?:s|ed)?|design(?:s|ed)?|create[sd]?|curate[sd]?|contribute[sd]?|"
    r"establish(?:es|ed)?|launch(?:es|ed)?|unveil(?:s|ed)?|open-source[sd]?|open source|devise[sd]?|"
    r"formulate[sd]?|put forward|offer(?:s|ed)?)"
)
_INTRO = re.compile(
    rf"\b(?:(?:we|we've|we have|this (?:paper|work|study|report)|in this (?:paper|work),? we|here,? we|our (?:work|paper))\s+"
    rf"(?:\w+\s+){{0,3}}?{_INTRO_VERB}|named|called|dubbed|termed|coined|which we call|we call|namely|"
    rf"our (?:new |novel |proposed )?(?:\w+[\s-]){{0,3}}?(?:model|method|framework|approach|benchmark|dataset|system|architecture|algorithm|technique)s?|"
    rf"our proposed|the proposed|our new|our)\b"
)
_COMPARE = re.compile(
    r"\b(?:outperform\w*|surpass\w*|beat(?:s|ing)?|exceed\w*|compar\w*(?: (?:with|to|against))?|than|versus|vs\.?|"
    r"against|rival\w*|competitive with|on par with|match(?:es|ing)?|baselines?(?: such as| including| like)?|"
    r"superior to|over(?=\s+(?:the\s+)?(?:strong\s+)?(?:baselines?\s+)?(?-i:[A-Z])))\b",
    re.I,
)
_USE = re.compile(
    r"\b(?:us(?:e|es|ed|ing)|leverag\w*|employ\w*|adopt\w*|utiliz\w*|based on|built (?:on|upon)|builds? (?:on|upon)|"
    r"on top of|appl(?:y|ies|ied|ying)|fine-?tun\w*|finetun\w*|train\w*|pre-?train\w*|initiali[sz]\w*|with|via|"
    r"through|incorporat\w*|integrat\w*|combin\w*|extend\w*|equipped with|powered by|relying on|rel(?:y|ies) on|"
    r"distill\w* from|guided by|backbone|-based|adapt\w*|augment\w*)\b"
)
_EVAL = re.compile(
    r"\b(?:evaluat\w*|experiments?|results?|test\w*|benchmark\w*|accuracy|performance|scores?|achiev\w*|"
    r"outperform\w*|state-of-the-art|sota|surpass\w*|zero-shot|few-shot|improv\w*|gains?|report\w*)\b"
)
# words that end the reach of an "introduces" cue: the object phrase is over
_BOUNDARY = re.compile(r"[;.]\s|,\s*(?:which|that|where|while|and we|but)\b|\b(?:to|for|that|which|by|using|with|on|from|based|via|through|than|over|into|when|where|while|if)\b")
_PASSIVE_INTRO = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?(?:\w+\s+){0,2}?(?:is|are|was|were|has been|have been)\s+(?:\w+\s+)?"
    r"(?:introduced|proposed|presented|developed|released|designed|constructed|built|created|curated)\b"
)
_APPOSITIVE_INTRO = re.compile(r"^\s*(?:\([^)]*\)\s*)?,\s+(?:a|an|the first|our)\s+(?:\w+[\s-]+){0,3}?(?:novel|new|first|simple|unified|family|series|suite)\b")


_APPOSITION = re.compile(r"^\s*(?:\([^)]*\)\s*)?,\s+(?:a|an|the|our)\s+(?:[\w-]+\s+){0,3}$")
_HEADED_BY_KIND = re.compile(r"\s+(?:framework|method|approach|model|algorithm|technique|strategy|architecture|"
                             r"system|module|mechanism|paradigm|scheme|pipeline)s?\b", re.I)


def title_name(title: str) -> tuple[int, int, str] | None:
    """The name a title opens with, as the paper's own name: ``"RLPrompt: Optimizing ..."``,
    ``"Qwen2.5 Technical Report"``. Returns ``(start, end, type)`` or None.

    >>> t = "INSTRUCTIR: A Benchmark for Instruction Following of Information Retrieval Models"
    >>> s, e, typ = title_name(t); t[s:e], typ
    ('INSTRUCTIR', 'BENCHMARK')
    >>> title_name("Less is more: Summarizing Patch Tokens") is None
    True
    """
    m = re.match(r"^\s*(.{2,60}?)\s*(?::\s|\s+-{1,2}\s|\s+—\s|\s+Technical Report\b|\s+System Card\b)", title)
    if not m:
        return None
    name = m.group(1)
    words = name.split()
    if not words or len(words) > 4:
        return None
    if any(w.lower() in {"a", "an", "the", "is", "are", "of", "on", "in", "for", "with", "to", "and", "or", "you",
                          "we", "how", "what", "why", "when", "do", "does", "can", "not", "be", "towards", "toward"}
           for w in words) or "," in name or "?" in name or "!" in name:
        return None
    if len(words) > 1 and not all(w[:1].isupper() or w[:1].isdigit() or is_name_like(w) for w in words):
        return None
    if len(words) == 1 and not (words[0][:1].isupper() or is_name_like(words[0])):
        return None
    rest = title[m.end():].lower()
    typ = "METHOD"
    if re.search(r"\bbenchmark", rest) or "bench" in name.lower():
        typ = "BENCHMARK"
    elif re.search(r"\b(?:dataset|corpus|collection of)\b", rest):
        typ = "DATASET"
    return m.start(1), m.start(1) + len(name), typ


def mention_role(text: str, sent: tuple[int, int], cand: Candidate, *, field: str = "abstract") -> str:
    """The role one mention plays, from the cues around it in its sentence.

    >>> t = "We propose LoRA, which outperforms BitFit on GLUE using RoBERTa."
    >>> c = lambda s, typ="METHOD": Candidate(t.index(s), t.index(s) + len(s), typ, "x", 1.0)
    >>> [mention_role(t, (0, len(t)), c(s)) for s in ("LoRA", "BitFit", "RoBERTa")]
    ['introduces', 'compares_with', 'uses']
    >>> mention_role(t, (0, len(t)), c("GLUE", "BENCHMARK"))
    'evaluates_on'
    """
    before = text[sent[0]:cand.start]
    after = text[cand.end:sent[1]]
    low = before.lower()
    if _PASSIVE_INTRO.match(after) or _APPOSITIVE_INTRO.match(after):
        return "introduces"
    named = any(is_name_like(w) for w in text[cand.start:cand.end].split()) or cand.source == "abbreviation" \
        or cand.long_form is not None
    cues: list[tuple[int, int, str]] = []  # (end, length, role): the nearest, then the longest cue wins
    for m in _INTRO.finditer(low):
        between = low[m.end():]
        if _BOUNDARY.search(low, m.end()) or len(between) > 90:
            continue
        if not named and re.search(r"\b(?:a|an|one)\s", between) and (
                cand.source == "lexicon" or not _HEADED_BY_KIND.match(text, cand.end)):
            # "we present a large language model": an unnamed instance of a family; but
            # "we introduce a collaborative decoding framework" names a new technique
            continue
        cues.append((m.end(), m.end() - m.start(), "introduces"))
    for rx, role in ((_COMPARE, "compares_with"), (_USE, "uses")):
        for m in rx.finditer(before if rx is _COMPARE else low):
            if len(low) - m.end() <= 70 and not re.search(r"[;.]\s", low[m.end():]):
                cues.append((m.end(), m.end() - m.start(), role))
    if cand.type == "BENCHMARK":
        if any(r == "introduces" for _, _, r in cues):
            return "introduces"
        if _EVAL.search(low) or _EVAL.search(after.lower()) or not cues:
            return "evaluates_on"
    if not cues:
        return "mentions"
    return max(cues)[2]


def assign_roles(text: str, sents: Sequence[tuple[int, int]], cands: Sequence[Candidate], *,
                 field: str = "abstract", title_span: tuple[int, int] | None = None) -> list[str]:
    """Roles for every candidate of one field; in a title, the opening name is introduced."""
    sents = list(sents) or [(0, len(text))]
    roles = []
    for c in cands:
        if title_span and c.start < title_span[1] and title_span[0] < c.end:
            roles.append("introduces")
            continue
        roles.append(mention_role(text, sents[sentence_of(sents, c.start)], c, field=field))
    # "RLPrompt, an efficient discrete prompt optimization approach": the description after
    # an introduced name is that name, not a second contribution
    for k in range(1, len(cands)):
        a, b = cands[k - 1], cands[k]
        if roles[k - 1] == roles[k] == "introduces" and _APPOSITION.match(text[a.end:b.start]) \
                and not any(is_name_like(w) for w in text[b.start:b.end].split()):
            roles[k] = "mentions"
    return roles
