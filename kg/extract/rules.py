"""The optional rules around kg's learned recognizer, in one place.

Each rule is measured by the ablation in ``training/README.md`` (``training/ablation.py``);
:data:`DEFAULT_RULES` is what kg runs. Stages pick the rules they know from one set.
"""

from __future__ import annotations

__all__ = ["RULES", "DEFAULT_RULES", "check_rules"]

#: rule -> what it does (and the stage that runs it)
RULES = {
    "acronyms": "candidates: an acronym definition gives its long and short form the type the recognizer "
    "gave either, and every other occurrence of the short form too",
    "repeats": "candidates: a name the recognizer found names the same thing wherever else it is written "
    "in the same text",
    "lexicon": "candidates: names of kg's old hand-made lexicon that the recognizer did not find",
    "corpus_acronyms": "corpus: a short form one paper defines is a mention in the other papers too "
    "(unless the corpus defines it in several ways)",
    "hubs": "corpus: a concept name many papers of the corpus use is introduced by none of them",
    "title_head": "papers: a title's one-word head with a coined name's shape ('Rel-Zero: ...', not "
    "'Position: ...') is a candidate there and wherever the abstract writes it, when no candidate covers any of it",
    "cross_field": "corpus: a name found in the title or abstract is also a mention where the other field writes it",
}
DEFAULT_RULES = frozenset({"acronyms", "repeats", "corpus_acronyms", "hubs", "title_head"})


def check_rules(rules) -> frozenset[str]:
    """``rules`` as a frozenset (None -> :data:`DEFAULT_RULES`), refusing unknown names.

    >>> sorted(check_rules(["acronyms"]))
    ['acronyms']
    """
    if rules is None:
        return DEFAULT_RULES
    rules = frozenset(rules)
    unknown = rules - set(RULES)
    if unknown:
        raise ValueError(f"unknown extraction rules {sorted(unknown)}; known: {sorted(RULES)}")
    return rules
