"""What a name is used as: a dataset (trained on, released) or a benchmark (evaluated on),
and what a bare name most likely is, from the words around it.

Pure functions over a text, a sentence span and a name span.
"""

from __future__ import annotations

import re

from kg.extract.vocab import BENCHMARK_HEADS, DATASET_HEADS

__all__ = ["data_use", "appositive_head", "head_type", "name_type", "next_word", "METHODISH_NEXT"]

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


def head_type(head: str | None) -> str | None:
    if head is None:
        return None
    if head in DATASET_HEADS or head in ("corpora",):
        return "DATASET"
    if head in BENCHMARK_HEADS:
        return "BENCHMARK"
    return "METHOD"


def next_word(text: str, end: int) -> str:
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
    nxt = next_word(text, end)
    app = head_type(appositive_head(text, end))
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


METHODISH_NEXT = frozenset("""
model models framework frameworks method methods approach approaches architecture architectures network networks
algorithm algorithms system systems technique techniques module modules encoder encoders decoder decoders agent agents
family series backbone backbones variant variants checkpoint checkpoints library toolkit loss strategy strategies
""".split())


def name_type(text: str, sent: tuple[int, int], start: int, end: int) -> tuple[str, float]:
    app = head_type(appositive_head(text, end))
    if app:
        return app, 0.8
    nxt = next_word(text, end)
    if nxt in DATASET_HEADS:
        return "DATASET", 0.7
    if nxt in BENCHMARK_HEADS:
        return "BENCHMARK", 0.75
    if nxt in METHODISH_NEXT:
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
