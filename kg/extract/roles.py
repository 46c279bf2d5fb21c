"""What a paper does with each thing it mentions: pure functions over text and spans.

Roles, strongest first (:data:`kg.model.ROLES`):

``introduces``     the paper names it as its own: decided per paper and entity by the learned
                   classifier of :mod:`kg.extract.introduces`, not here
``evaluates_on``   a benchmark the paper reports results on
``compares_with``  "outperforms X", "compared with X", "better than X", "baselines such as X"
``uses``           "using X", "based on X", "fine-tune X", "trained on X", "with X"
``mentions``       anything else

The nearest cue before a mention in its sentence decides.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract.candidates import Candidate
from kg.extract.spans import sentence_of
from kg.model import Role

__all__ = ["mention_role", "assign_roles"]

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


def mention_role(text: str, sent: tuple[int, int], cand: Candidate) -> Role:
    """The role one mention plays, from the cues around it in its sentence (every role but
    ``introduces``, which :mod:`kg.extract.introduces` decides per paper and entity).

    >>> t = "Our model outperforms BitFit on GLUE using RoBERTa; BERT is popular."
    >>> c = lambda s, typ="METHOD": Candidate(t.index(s), t.index(s) + len(s), typ, "x", 1.0)
    >>> [mention_role(t, (0, len(t)), c(s)) for s in ("BitFit", "RoBERTa")]
    ['compares_with', 'uses']
    >>> mention_role(t, (0, len(t)), c("GLUE", "BENCHMARK")), mention_role(t, (52, len(t)), c("BERT"))
    ('evaluates_on', 'mentions')
    """
    before = text[sent[0] : cand.start]
    after = text[cand.end : sent[1]]
    low = before.lower()
    cues: list[tuple[int, int, Role]] = []  # (end, length, role): the nearest, then the longest cue wins
    cue_roles: tuple[tuple[re.Pattern, Role], ...] = ((_COMPARE, "compares_with"), (_USE, "uses"))
    for rx, role in cue_roles:
        for m in rx.finditer(before if rx is _COMPARE else low):
            if len(low) - m.end() <= 70 and not re.search(r"[;.]\s", low[m.end() :]):
                cues.append((m.end(), m.end() - m.start(), role))
    if cand.type == "BENCHMARK" and (_EVAL.search(low) or _EVAL.search(after.lower()) or not cues):
        return "evaluates_on"
    if not cues:
        return "mentions"
    return max(cues)[2]


def assign_roles(text: str, sents: Sequence[tuple[int, int]], cands: Sequence[Candidate]) -> list[Role]:
    """The role of every candidate of one text (:func:`mention_role`)."""
    sents = list(sents) or [(0, len(text))]
    return [mention_role(text, sents[sentence_of(sents, c.start)], c) for c in cands]
