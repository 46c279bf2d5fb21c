"""Name shapes: tokens that look like the name of a model, dataset or benchmark.

"GPT-4o", "LoRA", "Keye-VL", "Qwen2.5-72B-Instruct", "Claude 3 Opus": acronyms, mixed case,
letters with digits, and the version words that follow them. Pure functions over strings.
"""

from __future__ import annotations

import re
from typing import Sequence

from kg.extract.vocab import NAME_BLOCKERS, NAME_SUFFIXES, NOT_NAMES, VERSION_WORDS

__all__ = ["is_name_like", "name_spans", "STOP_WORDS"]

_CHUNK = re.compile(r"(?:[^\s,;:()\[\]{}\"“”‘’!?.]|\.(?![A-Z][a-z])(?=\S))+")
_JUNK = re.compile(r"https?:|www\.|\.(?:com|org|io|net|ai)\b|@|\\|->|→|<-|=|\^|\$|\*|#")
_NUMERIC = re.compile(
    r"^(?:[~<>≈]?\d+(?:[.,]\d+)*(?:%|x|×|k|K|M|B|T|th|st|nd|rd|s|h|ms|GB|MB|TB|GHz)?"
    r"|\d+(?:-[a-z]+)+|[a-z]+(?:-\d+)+|top-\d+|\d+D|\d+-?bits?|v\d+(?:\.\d+)*|\d+(?:\.\d+)?[a-z]?"
    r"|\d+(?:\.\d+)?[BMKT](?:-\d+(?:\.\d+)?[BMKT])+)$"
)
_YEAR = re.compile(r"^(?:19|20)\d\d[a-z]?$")
_VERSION = re.compile(r"^(?:v?\d{1,2}(?:\.\d+)*[a-z]?|\d+(?:\.\d+)?[BMKT](?:-\d+(?:\.\d+)?[BMKT])*|\d+x\d+[BMK]?)$")
STOP_WORDS = frozenset("""
a an the in on at by to of or and for with from as is are was were be been it its we our this that these those
using use uses used via over under about around nearly only up than then into onto per
""".split())


def _part_is_name(part: str) -> bool:
    letters = [c for c in part if c.isalpha()]
    if not letters:
        return False
    if any(c.isdigit() for c in part):
        return True
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return any(c.isupper() for c in part[1:]) and any(c.islower() for c in part)


def is_name_like(token: str) -> bool:
    """Whether a whitespace-delimited token looks like the name of a model, dataset or
    benchmark: an acronym, a mixed-case word, or letters with digits.

    >>> [is_name_like(t) for t in ["GPT-4o", "LoRA", "Keye-VL", "NLP", "Pre-Training", "2024", "8-shot", "models"]]
    [True, True, True, False, False, False, False, False]
    """
    if not token or token.lower() in NOT_NAMES or _NUMERIC.match(token) or _YEAR.match(token):
        return False
    if _JUNK.search(token) or ("/" in token and "." in token):
        return False
    if not any(c.isalpha() for c in token):
        return False
    if not any(c.isupper() for c in token) and not any(c.isdigit() for c in token):
        return False
    return any(_part_is_name(p) for p in re.split(r"[-/_]", token) if p)


def _strip_chunk(text: str, s: int, e: int) -> tuple[int, int]:
    while e > s and text[e - 1] in ".'’-_/":
        e -= 1
    low = text[s:e].lower()
    for suffix in NAME_SUFFIXES:
        if low.endswith(suffix) and e - s > len(suffix):
            e -= len(suffix)
            break
    for suffix in ("'s", "’s"):
        if text[s:e].endswith(suffix):
            e -= 2
    while s < e and text[s] in "'’-_/.":
        s += 1
    return s, e


def name_spans(text: str, sents: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of name-shaped words, extended over version words that follow them
    ("Gemini 2.0 Flash", "Llama 3 405B", "Fast-dLLM v2").

    >>> t = "We compare Claude 3 Opus, GPT-4o and Llama 3 405B in Table 2 with LoRA."
    >>> [t[s:e] for s, e in name_spans(t)]
    ['Claude 3 Opus', 'GPT-4o', 'Llama 3 405B', 'LoRA']
    """
    starts = {s for s, _ in sents}
    chunks = [_strip_chunk(text, m.start(), m.end()) for m in _CHUNK.finditer(text)]
    chunks = [(s, e) for s, e in chunks if e > s]
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(chunks):
        s, e = chunks[i]
        word = text[s:e]
        j = i
        named = is_name_like(word)
        if not named and word[:1].isupper() and word.isalpha() and word.lower() not in STOP_WORDS \
                and word.lower() not in NAME_BLOCKERS and word.lower() not in NOT_NAMES and i + 1 < len(chunks):
            # a capitalised word followed by a version number: "Claude 3", "Habitat 2.0"
            ns, ne = chunks[i + 1]
            nxt = text[ns:ne]
            gap = text[e:ns]
            if gap == " " and _VERSION.match(nxt) and not _YEAR.match(nxt) and not nxt.endswith("%"):
                follow = chunks[i + 2] if i + 2 < len(chunks) else None
                at_start = s in starts or s == 0
                after = text[follow[0]:follow[1]] if follow else ""
                if not at_start or _VERSION.match(after) or after.lower() in VERSION_WORDS:
                    named = True
        if not named:
            i += 1
            continue
        # extend over version words: "2.0", "v2", "405B", "Flash", "Instruct"
        while j + 1 < len(chunks) and j - i < 3:
            ns, ne = chunks[j + 1]
            nxt = text[ns:ne]
            if text[chunks[j][1]:ns] not in (" ", "-"):
                break
            if (_VERSION.match(nxt) and not _YEAR.match(nxt)) or (nxt.lower() in VERSION_WORDS and nxt[:1].isupper()):
                j += 1
                continue
            break
        out.append((s, chunks[j][1]))
        i = j + 1
    return out
