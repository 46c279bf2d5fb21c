"""Finding METHOD / DATASET / BENCHMARK mentions in one text: pure functions over plain data.

Four sources propose candidate spans, all as character offsets into the text:

``ner``            the statistical entity recognizer shipped with kg (trained on SciREX)
``lexicon``        kg's list of well-known names (:mod:`kg.extract.lexicon`)
``abbreviation``   acronyms and long forms (:mod:`kg.extract.abbreviations`), typed by
                   what their long form is
``name``           name-shaped tokens ("GPT-4o", "LoRA", "Qwen2.5-72B-Instruct",
                   "Claude 3 Opus"), typed by the word after them or by context

:func:`find_candidates` trims them ("our proposed X" -> "X"), drops vague ones ("the
model"), decides dataset vs benchmark by use (:func:`data_use`), resolves overlaps and gives
each survivor a confidence. The spaCy component in :mod:`kg.extract.components` only
collects the inputs from a ``Doc`` and calls these functions, so everything here can be
tested without a pipeline and its results cross process boundaries.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Sequence

from kg.extract.abbreviations import Abbreviation
from kg.extract.vocab import (
    BENCHMARK_HEADS,
    DATASET_HEADS,
    GENERIC_MODIFIERS,
    NAME_BLOCKERS,
    NAME_HEADS,
    NAME_SUFFIXES,
    NON_METHOD_HEADS,
    NOT_NAMES,
    TASK_HEADS,
    TRAILING_VAGUE,
    TRIM_LEADING,
    VAGUE,
    VERSION_WORDS,
)

__all__ = [
    "Candidate",
    "headed_names",
    "is_language_data",
    "find_candidates",
    "trim",
    "is_vague",
    "is_name_like",
    "name_spans",
    "data_use",
    "sentence_of",
]


class Candidate(NamedTuple):
    """A typed span of a text that may name a method, dataset or benchmark."""

    start: int
    end: int
    type: str
    source: str
    confidence: float
    #: for an acronym defined in this text: its long form
    long_form: str | None = None


# ---------------------------------------------------------------------------- words
_WORD = re.compile(r"[A-Za-z0-9][\w\-./+']*")
_CHUNK = re.compile(r"(?:[^\s,;:()\[\]{}\"“”‘’!?.]|\.(?![A-Z][a-z])(?=\S))+")
_JUNK = re.compile(r"https?:|www\.|\.(?:com|org|io|net|ai)\b|@|\\|->|→|<-|=|\^|\$|\*|#")
_NUMERIC = re.compile(
    r"^(?:[~<>≈]?\d+(?:[.,]\d+)*(?:%|x|×|k|K|M|B|T|th|st|nd|rd|s|h|ms|GB|MB|TB|GHz)?"
    r"|\d+(?:-[a-z]+)+|[a-z]+(?:-\d+)+|top-\d+|\d+D|\d+-?bits?|v\d+(?:\.\d+)*|\d+(?:\.\d+)?[a-z]?"
    r"|\d+(?:\.\d+)?[BMKT](?:-\d+(?:\.\d+)?[BMKT])+)$"
)
_YEAR = re.compile(r"^(?:19|20)\d\d[a-z]?$")
_VERSION = re.compile(r"^(?:v?\d{1,2}(?:\.\d+)*[a-z]?|\d+(?:\.\d+)?[BMKT](?:-\d+(?:\.\d+)?[BMKT])*|\d+x\d+[BMK]?)$")
_STOP = frozenset("""
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
        if not named and word[:1].isupper() and word.isalpha() and word.lower() not in _STOP \
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


# ---------------------------------------------------------------------------- trimming
def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[\w][\w\-'’.]*", text)]


def is_vague(phrase: str) -> bool:
    """True when a phrase is made only of vague words ("the proposed model", "our approach").

    >>> is_vague("our proposed framework"), is_vague("pretrained student models"), is_vague("contrastive learning")
    (True, True, False)
    """
    words = _words(phrase)
    if not words:
        return True
    if any(is_name_like(w) for w in phrase.split()):
        return False
    return all(w in VAGUE or w in TRIM_LEADING or w in GENERIC_MODIFIERS or w in _STOP
               or any(c.isdigit() for c in w) for w in words)


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
    if e <= s or is_vague(text[s:e]):
        return None
    if not any(ch.isalpha() for ch in text[s:e]):
        return None
    return s, e


# ---------------------------------------------------------------------------- typing
_EVAL_CUE = re.compile(
    r"\b(?:evaluat\w*|benchmark\w*|test(?:ed|ing|s)?|achiev\w*|outperform\w*|accuracy|accuracies|score[sd]?|"
    r"results?|state-of-the-art|sota|surpass\w*|performance|perform\w*|improv\w*|gains?|zero-shot|few-shot|"
    r"experiments?|measured|assess\w*|report\w*|top-\d|leaderboard|metrics?)\b"
)
_TRAIN_CUE = re.compile(
    r"\b(?:train\w*|pre-?train\w*|fine-?tun\w*|finetun\w*|corpus|corpora|collect\w*|curat\w*|construct\w*|"
    r"releas\w*|crawl\w*|annotat\w*|contain\w*|consist\w*|compris\w*|built|build\w*|creat\w*|sourced|"
    r"filtered|distill\w*|synthesi[sz]\w*|pairs|samples|hours|images|videos|documents|tokens|instances)\b"
)


_APPOSITIVE = re.compile(
    r"^\s*(?:\([^)]*\)\s*)?,\s+(?:a|an|the|our)\s+(?:[\w-]+\s+){0,5}?"
    r"(corpus|corpora|dataset|collection|benchmark|suite|leaderboard|testbed|model|framework|method|approach|"
    r"architecture|algorithm|system|family|series|library|toolkit|technique)\b"
)


def appositive_head(text: str, end: int) -> str | None:
    """The head noun of an appositive right after a name: "PRECOG, a corpus of ..." -> "corpus"."""
    m = _APPOSITIVE.match(text[end:end + 120])
    return m.group(1) if m else None


def _head_type(head: str | None) -> str | None:
    if head is None:
        return None
    if head in DATASET_HEADS or head in ("corpora",):
        return "DATASET"
    if head in BENCHMARK_HEADS:
        return "BENCHMARK"
    return "METHOD"


def _next_word(text: str, end: int) -> str:
    m = re.match(r"[\s\-]*([A-Za-z][\w\-]*)", text[end:end + 40])
    return m.group(1).lower() if m else ""


def data_use(text: str, sent: tuple[int, int], start: int, end: int, prior: str = "DATASET") -> str:
    """Decide whether a data-like name is a BENCHMARK (used to evaluate) or a DATASET (used
    to train, or released as a corpus), from its name, the word after it and its sentence.

    >>> t = "We evaluate on GSM8K. We train on The Pile."
    >>> data_use(t, (0, 21), 15, 20), data_use(t, (22, 44), 35, 43)
    ('BENCHMARK', 'DATASET')
    """
    name = text[start:end]
    low = name.lower()
    nxt = _next_word(text, end)
    app = _head_type(appositive_head(text, end))
    if app in ("DATASET", "BENCHMARK"):
        return app
    if nxt in BENCHMARK_HEADS or re.match(r"\s+test\s+sets?\b", text[end:end + 12]):
        return "BENCHMARK"
    if nxt in DATASET_HEADS:
        return "DATASET"
    if "bench" in low or low.endswith("eval") or "arena" in low or "leaderboard" in low:
        return "BENCHMARK"
    if "corpus" in low or "dataset" in low or low.endswith(("data", "-5b", "-400m", "100m", "-1m")):
        return "DATASET"
    before = text[sent[0]:start].lower()
    after = text[end:sent[1]].lower()
    ev = [m.end() for m in _EVAL_CUE.finditer(before)]
    tr = [m.end() for m in _TRAIN_CUE.finditer(before)]
    if ev or tr:
        # the nearest cue before the name decides
        return "BENCHMARK" if (max(ev) if ev else -1) > (max(tr) if tr else -1) else "DATASET"
    if _EVAL_CUE.search(after[:80]) and not _TRAIN_CUE.search(after[:80]):
        return "BENCHMARK"
    if _TRAIN_CUE.search(after[:80]):
        return "DATASET"
    return prior


_METHODISH_NEXT = frozenset("""
model models framework frameworks method methods approach approaches architecture architectures network networks
algorithm algorithms system systems technique techniques module modules encoder encoders decoder decoders agent agents
family series backbone backbones variant variants checkpoint checkpoints library toolkit loss strategy strategies
""".split())


def _name_type(text: str, sent: tuple[int, int], start: int, end: int) -> tuple[str, float]:
    app = _head_type(appositive_head(text, end))
    if app:
        return app, 0.8
    nxt = _next_word(text, end)
    if nxt in DATASET_HEADS:
        return "DATASET", 0.7
    if nxt in BENCHMARK_HEADS:
        return "BENCHMARK", 0.75
    if nxt in _METHODISH_NEXT:
        return "METHOD", 0.7
    low = text[start:end].lower()
    if "bench" in low or low.endswith("eval"):
        return "BENCHMARK", 0.7
    before = text[max(sent[0], start - 40):start].lower()
    if re.search(r"\b(?:on|across|of)\s+(?:the\s+)?$", before) and _EVAL_CUE.search(text[sent[0]:sent[1]].lower()):
        return data_use(text, sent, start, end, "BENCHMARK"), 0.55
    name = text[start:end]
    letters = [c for c in name if c.isalpha()]
    if all(c.isupper() for c in letters) and not any(c.isdigit() for c in name) and " " not in name:
        return "METHOD", 0.4  # a bare, undefined acronym: could be anything
    return "METHOD", 0.55



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


_NOT_DATA_HEADS = frozenset("task tasks script scripts campaign campaigns workshop track tracks evaluation".split())
_DATA_VERSION = re.compile(r"[ \-]?(?:v?\d+(?:\s?\.\s?\d+)+|(?:19|20)\d\d|\d{1,2})(?=[\s,;.)]|$)(?!\s*(?:%|times|x\b))")


def is_language_data(phrase: str) -> bool:
    """"Chinese-English", "English documents", "Chinese texts": languages and generic data
    words only -- a description, not a named dataset.

    >>> is_language_data("Chinese - to - English translation"), is_language_data("Chinese Treebank")
    (True, False)
    """
    words = [w for w in re.split(r"[\s\-–/]+", phrase.lower()) if w and w not in ("to", "and", "of", "the")]
    return bool(words) and any(w in _LANGUAGES for w in words) and all(
        w in _LANGUAGES or w in _GENERIC_DATA or w.rstrip("s") in _GENERIC_DATA for w in words)


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
        words = text[s:e].split()
        first = words[0]
        # a capitalised first word must be more than the start of a sentence ("Training data")
        if s in starts and not is_name_like(first) and len(words) == 1:
            continue
        if first.lower() in TRIM_LEADING or first.lower() in _STOP or first.lower() in VAGUE:
            continue
        if not any(is_name_like(w) or (w[:1].isupper() and (k > 0 or s not in starts)) for k, w in enumerate(words)):
            continue
        if is_language_data(text[s:e]) or is_vague(text[s:e]):
            continue
        head = text[m.end():m.end() + 12].lower()
        typ = "BENCHMARK" if head.startswith(("test set", "benchmark")) else "DATASET"
        out.append((s, e, typ))
    return out

# ---------------------------------------------------------------------------- assembly
def sentence_of(sents: Sequence[tuple[int, int]], pos: int) -> int:
    """Index of the sentence holding character ``pos`` (0 when there are no sentences)."""
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid][0] <= pos:
            lo = mid
        else:
            hi = mid - 1
    return max(lo, 0)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _split_coordination(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """"ALPRO and mPLUG-2" -> two spans, when both sides are names."""
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


_PRIORITY = {"abbreviation": 4, "lexicon": 3, "headed": 2, "ner": 2, "name": 1}


def find_candidates(
    text: str,
    *,
    sents: Sequence[tuple[int, int]] = (),
    ents: Iterable[tuple[int, int, str]] = (),
    lexicon: Iterable[tuple[int, int, str, bool]] = (),
    abbreviations: Iterable[Abbreviation] = (),
) -> list[Candidate]:
    """All typed, non-overlapping candidate mentions in ``text``, in text order.

    Parameters
    ----------
    text : the title or abstract.
    sents : sentence boundaries as ``(start, end)`` character offsets.
    ents : statistical NER spans ``(start, end, label)``; labels METHOD, DATASET, TASK, METRIC.
    lexicon : lexicon matches ``(start, end, type, is_concept)``.
    abbreviations : acronym definitions found in the text.

    Examples
    --------
    >>> t = "We fine-tune LLaMA with Low-Rank Adaptation (LoRA) and evaluate on GSM8K."
    >>> from kg.extract.abbreviations import find_abbreviations
    >>> lex = [(t.index(n), t.index(n) + len(n), typ, False) for n, typ in [("LLaMA", "METHOD"), ("GSM8K", "BENCHMARK")]]
    >>> [(t[c.start:c.end], c.type) for c in find_candidates(t, sents=[(0, len(t))], lexicon=lex,
    ...     abbreviations=find_abbreviations(t))]
    [('LLaMA', 'METHOD'), ('Low-Rank Adaptation', 'METHOD'), ('LoRA', 'METHOD'), ('GSM8K', 'BENCHMARK')]
    """
    sents = list(sents) or [(0, len(text))]
    sent_at = lambda pos: sents[sentence_of(sents, pos)]  # noqa: E731
    blocked: list[tuple[int, int]] = []  # TASK / METRIC spans from the recognizer
    pool: list[tuple[int, int, int, str, str, float, str | None]] = []  # (prio, s, e, type, source, conf, long)

    def add(s: int, e: int, typ: str, source: str, conf: float, prio: int | None = None, long: str | None = None,
            do_trim: bool = True) -> None:
        if do_trim:
            t = trim(text, s, e)
            if t is None:
                return
            s, e = t
        low = text[s:e].lower()
        if typ in ("DATASET", "BENCHMARK") and source != "lexicon":
            if is_language_data(text[s:e]):
                return  # "Chinese-English", "English documents": not a named dataset
            last = _words(text[s:e])[-1:]
            if last and last[0] in _NOT_DATA_HEADS:
                return  # "the CoNLL shared task", "the evaluation script": not the data
            if source == "ner" and not any(is_name_like(w) or w[:1].isupper() for w in text[s:e].split()):
                return  # "movie reviews", "in-domain data": unnamed data is no entity
            m = _DATA_VERSION.match(text, e)
            if m:
                e = m.end()  # "CTB 5.1", "TAC 2009", "SQuAD 2.0": the version is part of the name
        if source != "lexicon":
            if "bench" in low and typ != "BENCHMARK":
                typ = "BENCHMARK"
            app = _head_type(appositive_head(text, e))
            if app in ("DATASET", "BENCHMARK"):  # "PRECOG, a corpus of ..."
                typ = app
        if typ in ("DATASET", "BENCHMARK"):
            typ = data_use(text, sent_at(s), s, e, typ)
        pool.append((_PRIORITY[source] if prio is None else prio, s, e, typ, source, conf, long))

    lexicon = list(lexicon)
    lex_starts = {(s, e) for s, e, _, _ in lexicon}
    for s, e, label in ents:
        if label in ("TASK", "METRIC"):
            blocked.append((s, e))
            continue
        if label not in ("METHOD", "DATASET"):
            continue
        for a, b in _split_coordination(text, s, e):
            if len(text[a:b].split()) > 7 or re.search(r"\s[-–—]\s", text[a:b]):
                continue
            t = trim(text, a, b)
            if t is None:
                continue
            a, b = t
            # "Transformer architecture" is the lexicon's "Transformer"
            if any(ls == a and le < b and all(w in NAME_HEADS for w in _words(text[le:b])) for ls, le in lex_starts):
                continue
            words = text[a:b].split()
            named = any(is_name_like(w) for w in words)
            last = _words(text[a:b])[-1:]
            if not named and label == "METHOD" and last and (last[0] in NON_METHOD_HEADS or last[0] in TASK_HEADS):
                continue
            if named:
                conf = 0.75
            elif len(words) == 1 and "-" not in words[0]:
                conf = 0.45  # one generic word ("sampling", "finetuning"): weak evidence
            else:
                conf = 0.65
            add(a, b, label, "ner", conf, do_trim=False)

    for s, e, typ, concept in lexicon:
        if typ != "METHOD" and any(b[0] <= s and e <= b[1] for b in blocked):
            continue  # "RTE" where the recognizer reads the task, not the data
        add(s, e, typ, "lexicon", 0.75 if concept else 0.9, prio=_PRIORITY["ner"] if concept else None,
            do_trim=False)

    # acronyms: the long form says what the short form is
    short_types: dict[str, tuple[str, str, float]] = {}
    for ab in abbreviations:
        lspan = (ab.long_start, ab.long_end)
        long = text[ab.long_start:ab.long_end]
        short = text[ab.short_start:ab.short_end]
        if short.lower().rstrip("s") in NOT_NAMES or short.lower() in NOT_NAMES:
            short_types[short] = ("", long, 0.0)  # a field or task acronym ("NLP", "TTS")
            blocked.append(lspan)
            continue
        if any(_overlaps(lspan, b) for b in blocked) and not any(
                _overlaps(lspan, (p[1], p[2])) and p[4] == "lexicon" for p in pool):
            short_types[short] = ("", long, 0.0)  # a task or metric acronym: never an entity
            continue
        typ, conf = _abbreviation_type(text, ab, pool)
        if typ is None:
            continue
        short_types[short] = (typ, long, conf)
        add(ab.long_start, ab.long_end, typ, "abbreviation", conf, do_trim=False)
        pool.append((_PRIORITY["abbreviation"], ab.short_start, ab.short_end, typ if typ == "METHOD"
                     else data_use(text, sent_at(ab.short_start), ab.short_start, ab.short_end, typ),
                     "abbreviation", conf, long))
    # every other occurrence of a short form takes the short form's type
    for short, (typ, long, conf) in short_types.items():
        for m in re.finditer(rf"(?<![\w\-]){re.escape(short)}(?:s|es)?(?![\w\-])", text):
            if not typ:
                blocked.append((m.start(), m.end()))
                continue
            t = typ if typ == "METHOD" else data_use(text, sent_at(m.start()), m.start(), m.end(), typ)
            pool.append((_PRIORITY["abbreviation"], m.start(), m.end(), t, "abbreviation", conf, long))

    # a recognizer span that crosses the edge of a lexicon term has its boundary wrong
    # ("language model training" across "large language model"): the lexicon term stands
    lex_edges = [(p[1], p[2]) for p in pool if p[4] == "lexicon"]
    pool = [p for p in pool if p[4] != "ner" or not any(
        _overlaps((p[1], p[2]), le) and not (p[1] <= le[0] and le[1] <= p[2]) for le in lex_edges)]
    lex_spans = [(p[1], p[2], p[3]) for p in pool if p[4] == "lexicon"]
    for s, e, typ in headed_names(text, sents):
        if not any(_overlaps((s, e), b) for b in blocked):
            add(s, e, typ, "headed", 0.7)
    for s, e in name_spans(text, sents):
        if any(_overlaps((s, e), b) for b in blocked):
            continue
        typ, conf = _name_type(text, sent_at(s), s, e)
        inner = [(a, b, t) for a, b, t in lex_spans if s <= a and b <= e and (a, b) != (s, e)]
        if inner:
            # "Qwen2.5-72B-Instruct" extends the lexicon's "Qwen2.5": the longer name wins
            add(s, e, inner[0][2], "name", 0.85, prio=_PRIORITY["lexicon"], do_trim=False)
        else:
            add(s, e, typ, "name", conf, do_trim=False)

    return _resolve(text, pool, blocked)


def _abbreviation_type(text: str, ab: Abbreviation, pool) -> tuple[str | None, float]:
    lspan = (ab.long_start, ab.long_end)
    best = None
    for prio, s, e, typ, source, conf, _ in pool:
        if _overlaps(lspan, (s, e)) or (ab.short_start <= s and e <= ab.short_end):
            if best is None or (prio, e - s) > (best[0], best[2] - best[1]):
                best = (prio, s, e, typ)
    if best is not None:
        return best[3], 0.9
    nxt = _next_word(text, ab.short_end + 1)  # the word after "(X)"
    if nxt in DATASET_HEADS:
        return "DATASET", 0.8
    if nxt in BENCHMARK_HEADS:
        return "BENCHMARK", 0.8
    if nxt in _METHODISH_NEXT:
        return "METHOD", 0.8
    last = _words(text[ab.long_start:ab.long_end])[-1:]
    if last and last[0].rstrip("s") in {w.rstrip("s") for w in _METHODISH_NEXT}:
        return "METHOD", 0.75
    if last and (last[0] in TASK_HEADS or last[0] in NON_METHOD_HEADS):
        return None, 0.0
    return "METHOD", 0.55  # most defined acronyms in CS abstracts name techniques


def _resolve(text: str, pool, blocked) -> list[Candidate]:
    """Keep the best of overlapping candidates: higher priority, then longer; count agreement."""
    order = sorted(pool, key=lambda p: (-p[0], -(p[2] - p[1]), -_PRIORITY[p[4]], p[1]))
    kept: list[list] = []
    for prio, s, e, typ, source, conf, long in order:
        if any(_overlaps((s, e), b) for b in blocked) and source in ("ner", "name"):
            continue
        clash = next((k for k in kept if _overlaps((s, e), (k[0], k[1]))), None)
        if clash is None:
            kept.append([s, e, typ, source, conf, long, {source}])
        else:
            clash[6].add(source)
    out = []
    for s, e, typ, source, conf, long, sources in kept:
        if len(sources) > 1:
            conf = min(0.99, conf + 0.1)
        out.append(Candidate(s, e, typ, source, round(conf, 3), long))
    out.sort(key=lambda c: c.start)
    return out
