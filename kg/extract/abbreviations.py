"""Acronyms and their long forms, after Schwartz & Hearst (2003).

A. S. Schwartz and M. A. Hearst, "A simple algorithm for identifying abbreviation
definitions in biomedical text", Pacific Symposium on Biocomputing 8:451-462, 2003.

Both orders are found: ``Vision-Language Pre-training (VLP)`` and
``VLP (Vision-Language Pre-training)``. The functions work on plain strings and character
offsets so they can be tested directly and their results cross process boundaries;
:class:`~kg.extract.components.AbbreviationDetector` wraps them for spaCy.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Abbreviation", "find_abbreviations", "best_long_form", "is_short_form"]


class Abbreviation(NamedTuple):
    """A short form and the long form it abbreviates, as character offsets into one text."""

    short_start: int
    short_end: int
    long_start: int
    long_end: int

    def short(self, text: str) -> str:
        return text[self.short_start : self.short_end]

    def long(self, text: str) -> str:
        return text[self.long_start : self.long_end]


# what brackets hold that is no acronym: "(e.g. ...)", "(cf. ...)", "(see ...)", "(Fig. 2)" --
# words, not prefixes: "CFG", "SEED" and "REFINER" are acronyms
_NOT_SHORT = re.compile(r"(?:e\.g|i\.e|cf|et al|figs?|see|refs?)(?:\W|$)", re.I)
_PAREN = re.compile(r"\(([^()]{1,200})\)")
_WORD = re.compile(r"\S+")
# where a long form cannot extend past, walking left from the parenthesis
_BARRIER = re.compile(r"[.;:!?()\[\]]\s|[()\[\]]|\n")


def is_short_form(candidate: str) -> bool:
    """S&H's test for a short form: at most two words and ten characters, starting with a
    letter or digit, holding at least one letter, and at least one capital (kg adds this last
    rule: lower-case words in brackets are glosses, not acronyms).

    >>> [is_short_form(s) for s in ["VLP", "LLMs", "e.g.", "see above", "ViT-B/16", "2"]]
    [True, True, False, False, True, False]
    >>> [is_short_form(s) for s in ["CFG", "SEED", "RefCOCO", "cf. X", "Fig. 2", "Figs 3"]]
    [True, True, True, False, False, False]
    """
    c = candidate.strip()
    if not c or len(c) > 10 or len(c.split()) > 2:
        return False
    if not c[0].isalnum() or not any(ch.isalpha() for ch in c):
        return False
    if not any(ch.isupper() for ch in c):
        return False
    return not _NOT_SHORT.match(c)


def best_long_form(short: str, long: str) -> int | None:
    """Where in ``long`` the long form of ``short`` starts (see :func:`_best_long_form`);
    digits that stand for words are tried too: "A2D" = "Align-to-Distill"."""
    found = _best_long_form(short, long)
    if found is None and any(c in "24" for c in short[1:]):
        found = _best_long_form(short[0] + short[1:].replace("2", "t").replace("4", "f"), long)
    return found


def _best_long_form(short: str, long: str) -> int | None:
    """Where in ``long`` the long form of ``short`` starts, or None when it cannot match.

    Characters of the short form are matched right to left in the long form; the first one
    must begin a word (the S&H ``findBestLongForm``).

    >>> long = "the promotion of Vision-Language Pre-training"
    >>> long[best_long_form("VLP", long):]
    'Vision-Language Pre-training'
    >>> best_long_form("XYZ", "large language model") is None
    True
    """
    s = len(short) - 1
    i = len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (long[i].lower() != c or (s == 0 and i > 0 and long[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = i + 1
    # the long form begins at the start of the word holding its first matched character
    while start > 0 and not long[start - 1].isspace():
        start -= 1
    return start


def _window_start(text: str, end: int, max_words: int) -> int:
    """Leftmost start of a long-form candidate ending at ``end``: at most ``max_words``
    words, never crossing a sentence or bracket boundary."""
    lo = max(0, end - 400)  # a long form is a few words: never scan the whole text
    left = text[:end]
    barrier = lo
    for m in _BARRIER.finditer(left, lo):
        barrier = m.end()
    words = list(_WORD.finditer(left, barrier))
    if not words:
        return end
    return words[max(0, len(words) - max_words)].start()


def _valid(short: str, long: str) -> bool:
    if len(long) <= len(short) or short.lower() in long.lower().split():
        return False
    words = long.split()
    if len(words) < 2 and not ("-" in long or any(c.isupper() for c in long[1:])):
        return False  # a one-word long form must at least be a compound ("Pre-training", "LLaMA")
    return len(words) <= min(len(short) + 5, len(short) * 2)


def find_abbreviations(text: str) -> list[Abbreviation]:
    """All acronym definitions in ``text``, in order of appearance.

    >>> t = "We study Large Language Models (LLMs) and VLP (Vision-Language Pre-training)."
    >>> [(a.short(t), a.long(t)) for a in find_abbreviations(t)]
    [('LLMs', 'Large Language Models'), ('VLP', 'Vision-Language Pre-training')]
    >>> t = "we introduce the 'Align-to-Distill' (A2D) and retrieval oriented masking (dubbed as ROM)"
    >>> [(a.short(t), a.long(t)) for a in find_abbreviations(t)]
    [('A2D', 'Align-to-Distill'), ('ROM', 'retrieval oriented masking')]
    """
    found: list[Abbreviation] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1)
        istart = m.start(1) + (len(inner) - len(inner.lstrip()))
        iend = m.end(1) - (len(inner) - len(inner.rstrip()))
        inner = text[istart:iend]
        # "(dubbed as ROM)", "(called VLP)": the short form follows the cue
        cue = re.match(
            r"(?:dubbed(?: as)?|called|termed|named|aka|a\.k\.a\.|hereafter|henceforth|short for|abbreviated(?: as)?)\s+",
            inner,
            re.I,
        )
        if cue:
            istart += cue.end()
            inner = text[istart:iend]
        # "(LLM; Brown et al.)" or "(LLM, for short)": keep the part before ; or ,
        cut = re.search(r"[;,]", inner)
        if cut:
            iend = istart + cut.start()
            inner = text[istart:iend].rstrip()
            iend = istart + len(inner)
        if is_short_form(inner):
            # long (SHORT)
            lend = m.start()
            while lend > 0 and (text[lend - 1].isspace() or text[lend - 1] in "~,'\"’”"):
                lend -= 1
            wstart = _window_start(text, lend, min(len(inner) + 5, len(inner) * 2))
            cand = text[wstart:lend]
            b = best_long_form(inner, cand)
            if b is not None:
                while b < len(cand) and cand[b] in "'\"‘“":
                    b += 1
                long = cand[b:]
                if _valid(inner, long):
                    found.append(Abbreviation(istart, iend, wstart + b, lend))
            continue
        # SHORT (long): the word right before the parenthesis is the short form
        lo = max(0, m.start() - 60)
        before = re.search(r"(\S+)\s*$", text[lo : m.start()])
        if before and is_short_form(before.group(1)) and len(inner.split()) >= 2:
            short = before.group(1)
            b = best_long_form(short, inner)
            if b == 0 and _valid(short, inner):
                found.append(Abbreviation(lo + before.start(1), lo + before.end(1), istart, iend))
    return found
