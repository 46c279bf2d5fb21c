"""Where a mention's text ends: the entity's name plus what annotators count as part of it.

An entity is named by its core ("Europarl", "collaborative decoding"), but the text that
mentions it often runs on: a defined acronym in brackets and a head noun
("Europarl corpus", "Chinese Treebank (CTB)", "Expectation-Maximization (EM) algorithm").
Annotation guidelines (SciERC, TDMSci) mark the whole phrase, and so does kg's mention span;
entity names and merging keep using the core.
"""

from __future__ import annotations

import re

__all__ = ["mention_span", "DATA_HEADS", "METHOD_SPAN_HEADS"]

#: head nouns a dataset or benchmark mention runs on to
DATA_HEADS = ("corpus", "corpora", "dataset", "datasets", "data set", "data sets", "data", "treebank",
              "test set", "test sets", "benchmark", "benchmarks", "collection", "suite", "challenge")
#: head nouns a method mention runs on to
METHOD_SPAN_HEADS = ("model", "models", "algorithm", "algorithms", "method", "methods", "network", "networks",
                     "architecture", "architectures", "framework", "approach", "technique", "techniques",
                     "strategy", "module", "mechanism", "loss", "classifier", "parser", "system")

_DATA_RE = re.compile(r"\s+(?:%s)\b" % "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in
                                                sorted(DATA_HEADS, key=len, reverse=True)), re.I)
_METHOD_RE = re.compile(r"\s+(?:%s)\b" % "|".join(sorted(METHOD_SPAN_HEADS, key=len, reverse=True)), re.I)


def mention_span(text: str, start: int, end: int, type_: str, *, acronym: tuple[int, int] | None = None) -> tuple[int, int]:
    """The span of a mention whose entity name is ``text[start:end]``.

    ``acronym`` is the span of the short form defined right after the name, if any.

    >>> t = "We use the Penn Treebank (PTB) corpus and the EM algorithm."
    >>> s, e = mention_span(t, 11, 24, "DATASET", acronym=(26, 29)); t[s:e]
    'Penn Treebank (PTB) corpus'
    >>> s, e = mention_span(t, 46, 48, "METHOD"); t[s:e]
    'EM algorithm'
    """
    e = end
    if acronym is not None:
        m = re.match(r"\s*\(\s*", text[e:acronym[0]])
        close = re.match(r"\s*\)", text[acronym[1]:])
        if m and m.end() == acronym[0] - e and close:
            e = acronym[1] + close.end()
    rx = _METHOD_RE if type_ == "METHOD" else _DATA_RE
    m = rx.match(text, e)
    if m:
        e = m.end()
    return start, e
