"""What a mention can never be, whatever the recognizer says.

The learned recognizer decides what is a method, a dataset or a benchmark; these guards only
keep its output inside kg's contract: a mention is a name within one sentence, not a number
with a unit, a URL, a citation key or a piece of LaTeX, and it starts and ends on a word.
Pure functions over strings and character offsets.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["is_possible_name", "tidy_span", "clip_to_sentence"]

_NUMBER_WITH_UNIT = re.compile(
    r"^[~<>≈±+\-]?\s*\d[\d.,]*\s*(?:%|x|×|[a-zµ]{1,3}|[KMBTG]B?|dB|Hz|[KMG]Hz|fps|FPS)?"
    r"(?:\s*[-–/~]\s*[~<>≈]?\d[\d.,]*\s*(?:%|x|×|[a-zµ]{1,3}|[KMBTG]B?|dB))*$"
)
_P_VALUE = re.compile(r"^[pP]\s*[<>=≤≥]")
_URL = re.compile(r"https?://|www\.|\.(?:com|org|io|net|ai|edu|html?)\b|github|huggingface\.co|@", re.I)
_CITATION_KEY = re.compile(r"^[a-z][a-z\-]+\d{4}[a-z]+\d*$")
_LATEX = re.compile(r"\\[A-Za-z]+|[{}$^_]")
_EDGE = " \t\n\r,;:.!?\"'“”‘’()[]{}<>*•·-–—/|~`"
_TRAILING_POSSESSIVE = re.compile(r"(?:'s|’s)$")


def is_possible_name(text: str) -> bool:
    """Whether ``text`` could name a method, dataset or benchmark at all.

    >>> [is_possible_name(t) for t in ["GPT-4V", "0.15dB", "1.07mm", "2.29x-3.14x", "p<0.05", "hurst2024gpt"]]
    [True, False, False, False, False, False]
    >>> [is_possible_name(t) for t in ["https://github.com/a/b", "\\\\cdot \\\\log", "MLLMs. All training", "3D", "C4"]]
    [False, False, True, True, True]
    """
    t = text.strip()
    if not t or len(t) > 120 or not any(c.isalpha() for c in t):
        return False
    if "\n\n" in t or _NUMBER_WITH_UNIT.match(t) or _P_VALUE.match(t) or _URL.search(t) or _LATEX.search(t):
        return False
    return not _CITATION_KEY.match(t)


def tidy_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without surrounding punctuation, spaces and a trailing possessive
    (brackets kept when they pair up inside the span); None when nothing is left.

    >>> t = "(see GPT-4V's results)."
    >>> s, e = tidy_span(t, 4, 14); t[s:e]
    'GPT-4V'
    >>> s, e = tidy_span("NTU RGB+D 120 (", 0, 15); "NTU RGB+D 120 ("[s:e]
    'NTU RGB+D 120'
    """
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE:
            if text[start] in "([{" and _pairs(text[start:end]):
                break
            start += 1
        while end > start and text[end - 1] in _EDGE:
            if text[end - 1] in ")]}" and _pairs(text[start:end]):
                break
            end -= 1
        m = _TRAILING_POSSESSIVE.search(text, start, end)
        if m and m.end() == end:
            end = m.start()
        if (start, end) == before:
            break
    return (start, end) if start < end else None


def _pairs(s: str) -> bool:
    return all(s.count(a) == s.count(b) and s.count(a) > 0 for a, b in ("()", "[]", "{}") if a in s or b in s)


def clip_to_sentence(start: int, end: int, sents: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The part of ``[start, end)`` inside the sentence where it starts ("GPT-4V. The" -> "GPT-4V.").

    >>> clip_to_sentence(4, 15, [(0, 11), (12, 30)])
    (4, 11)
    """
    for s, e in sents:
        if s <= start < e:
            return start, min(end, e)
    return start, end
