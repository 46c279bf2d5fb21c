"""Phrases: tightening candidate spans and telling vague or generic phrases from names.

Pure functions over strings and character offsets: :func:`trim` ("our proposed X" -> "X",
"curriculum learning strategy" -> "curriculum learning"), :func:`is_vague` ("the model"),
:func:`is_language_data` ("Chinese-English"), :func:`headed_names` ("the Brown corpus"),
:func:`split_coordination` ("ALPRO and mPLUG-2").
"""

from __future__ import annotations

import re
from typing import Sequence

from kg.extract.names import STOP_WORDS, is_name_like
from kg.extract.vocab import GENERIC_MODIFIERS, NOT_NAMES, TRAILING_VAGUE, TRIM_LEADING, VAGUE

__all__ = ["words", "is_vague", "trim", "is_language_data", "headed_names", "split_coordination", "sentence_of",
           "overlaps", "NOT_DATA_HEADS", "DATA_VERSION"]

def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w][\w\-'’.]*", text)]


def is_vague(phrase: str) -> bool:
    """True when a phrase is made only of vague words ("the proposed model", "our approach").

    >>> is_vague("our proposed framework"), is_vague("pretrained student models"), is_vague("contrastive learning")
    (True, True, False)
    """
    ws = words(phrase)
    if not ws:
        return True
    if any(is_name_like(w) for w in phrase.split()):
        return False
    return all(w in VAGUE or w in TRIM_LEADING or w in GENERIC_MODIFIERS or w in STOP_WORDS
               or any(c.isdigit() for c in w) for w in ws)


#: one hyphenated modifier is an adjective, not a technique ("training-free", "five-mode")
_COMPOUND_ADJECTIVE = re.compile(
    r"^[a-z][\w]*-(?:free|based|aware|mode|level|scale|style|like|specific|driven|oriented|agnostic|efficient|"
    r"intensive|sized|wise|shot|only)$")


def trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Tighten a span: drop leading determiners and evaluative modifiers, trailing
    punctuation and possessives, unbalanced brackets. None when nothing specific is left.

    >>> t = "we use the proposed contrastive learning."
    >>> s, e = trim(t, 7, len(t)); t[s:e]
    'contrastive learning'
    """
    s, e = start, end
    while True:
        while s < e and (text[s].isspace() or text[s] in "-–,;:'\"“”‘’"):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ".,;:-–'\"“”‘’"):
            e -= 1
        seg = text[s:e]
        if seg.endswith(("'s", "’s")):
            e -= 2
            continue
        m = re.match(r"([\w\-]+)\s+", seg)
        if m and m.group(1).lower() in TRIM_LEADING and e - s > len(m.group(0)):
            s += m.end()
            continue
        break
    # "transformer-based models" -> "transformer": the base is the entity when the rest is vague
    m = re.match(r"(.+?)[\s-]based\s+(.+)$", text[s:e])
    if m and is_vague(m.group(2)) and not is_vague(m.group(1)):
        e = s + len(m.group(1))
    # "curriculum learning strategy" -> "curriculum learning"
    while True:
        m = re.search(r"\s+([\w-]+)$", text[s:e])
        if not m or m.group(1).lower() not in TRAILING_VAGUE or is_vague(text[s:s + m.start()]):
            break
        e = s + m.start()
    seg = text[s:e]
    # an opening bracket without its closing one: cut there ("Large Language Model (LLM")
    for o, c in ("()", "[]"):
        if seg.count(o) > seg.count(c):
            cut = seg.rfind(o)
            e = s + cut
            while e > s and text[e - 1].isspace():
                e -= 1
        elif seg.count(c) > seg.count(o):
            cut = seg.find(c)
            e = s + cut
    if e <= s or is_vague(text[s:e]) or _COMPOUND_ADJECTIVE.match(text[s:e]):
        return None
    if not any(ch.isalpha() for ch in text[s:e]):
        return None
    return s, e


_LANGUAGES = frozenset("""
english chinese mandarin cantonese german french spanish italian portuguese dutch russian arabic urdu hindi bengali
japanese korean vietnamese thai indonesian malay turkish persian farsi hebrew greek czech polish hungarian romanian
swedish danish norwegian finnish estonian latvian lithuanian ukrainian bulgarian serbian croatian slovenian slovak
catalan basque galician welsh irish swahili tamil telugu kannada malayalam marathi gujarati punjabi nepali sinhala
tagalog filipino amharic yoruba hausa igbo zulu afrikaans latin sanskrit
""".split())
_GENERIC_DATA = frozenset("""
data text texts document documents sentence sentences corpus corpora language languages side test tests set sets
phrase phrases word words translation translations task tasks pair pairs domain domains speech audio news web
source target bilingual monolingual parallel native us uk
""".split())


#: last words of a phrase about a task or campaign, not data ("the CoNLL shared task")
NOT_DATA_HEADS = frozenset("task tasks script scripts campaign campaigns workshop track tracks evaluation".split())
#: a version or year after a dataset name ("CTB 5.1", "TAC 2009", "SQuAD 2.0")
DATA_VERSION = re.compile(r"[ \-]?(?:v?\d+(?:\s?\.\s?\d+)+|(?:19|20)\d\d|\d{1,2})(?=[\s,;.)]|$)(?!\s*(?:%|times|x\b))")


def is_language_data(phrase: str) -> bool:
    """"Chinese-English", "English documents", "Chinese texts": languages and generic data
    words only -- a description, not a named dataset.

    >>> is_language_data("Chinese - to - English translation"), is_language_data("Chinese Treebank")
    (True, False)
    """
    ws = [w for w in re.split(r"[\s\-–/]+", phrase.lower()) if w and w not in ("to", "and", "of", "the")]
    return bool(ws) and any(w in _LANGUAGES for w in ws) and all(
        w in _LANGUAGES or w in _GENERIC_DATA or w.rstrip("s") in _GENERIC_DATA for w in ws)


_HEADED = re.compile(
    r"((?:[A-Z0-9][\w\-.&'’+]*\s+){1,5}?)(?:[a-z][\w\-]*\s+){0,2}?"
    r"(?=(?:corpus|corpora|dataset|datasets|data set|data sets|data|treebank|test sets?|benchmarks?)\b)"
)


def headed_names(text: str, sents: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int, str]]:
    """Names written in front of a dataset head noun: "the Brown corpus", "TAC 2010 data",
    "Twitter keyword dataset". Returns ``(start, end, type)`` of the name part (the head is
    added to the mention by :func:`kg.extract.spans.mention_span`).

    >>> t = "We train on the Brown corpus and test on the BNC test set."
    >>> [(t[s:e], typ) for s, e, typ in headed_names(t, [(0, len(t))])]
    [('Brown', 'DATASET'), ('BNC', 'BENCHMARK')]
    """
    starts = {s for s, _ in sents} | {0}
    out = []
    for m in _HEADED.finditer(text):
        s, e = m.start(1), m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        ws = text[s:e].split()
        first = ws[0]
        # a capitalised first word must be more than the start of a sentence ("Training data")
        if s in starts and not is_name_like(first) and len(ws) == 1:
            continue
        if first.lower() in TRIM_LEADING or first.lower() in STOP_WORDS or first.lower() in VAGUE or first[:1].isdigit():
            continue
        if all(w.lower() in NOT_NAMES or w.lower() in VAGUE for w in ws):
            continue  # "NLP benchmarks", "AI datasets": a field, not a name
        if not any(is_name_like(w) or (w[:1].isupper() and (k > 0 or s not in starts)) for k, w in enumerate(ws)):
            continue
        if is_language_data(text[s:e]) or is_vague(text[s:e]):
            continue
        head = text[m.end():m.end() + 12].lower()
        typ = "BENCHMARK" if head.startswith(("test set", "benchmark")) else "DATASET"
        out.append((s, e, typ))
    return out


def sentence_of(sents: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding character ``pos`` (0 when there are no sentences).

    >>> sentence_of([(0, 10), (11, 20)], 15), sentence_of([], 3)
    (1, 0)
    """
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return max(lo, 0)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Whether two half-open spans share a character."""
    return a[0] < b[1] and b[0] < a[1]


def split_coordination(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """"ALPRO and mPLUG-2" -> two spans, when every side is a name (capitalised).

    >>> t = "ALPRO and mPLUG-2"
    >>> [t[a:b] for a, b in split_coordination(t, 0, len(t))]
    ['ALPRO', 'mPLUG-2']
    """
    seg = text[s:e]
    parts = re.split(r"(,\s*|\s+and\s+|\s+or\s+|\s*/\s*)", seg)
    if len(parts) < 3:
        return [(s, e)]
    spans, pos = [], s
    for k, p in enumerate(parts):
        if k % 2 == 0 and p:
            spans.append((pos, pos + len(p)))
        pos += len(p)
    if all(any(is_name_like(w) or w[:1].isupper() for w in text[a:b].split()) for a, b in spans):
        return spans
    return [(s, e)]
