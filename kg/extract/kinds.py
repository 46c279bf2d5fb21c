"""Kind nouns: the words that say what kind of thing a name is ("X, a new corpus of ...",
"the X benchmark", "X-based models").

The nearest kind noun on each side of a mention, within its sentence, is a feature of the
per-paper decisions (:mod:`kg.extract.decide`); counted over the arXiv corpus for each name
(``training/names.py``), it is what the field calls the name (:mod:`kg.extract.frequency`).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["KINDS", "KIND_WINDOW", "nearest_kinds"]

#: how far (in words, within the sentence) a kind noun is looked for on each side of a mention
KIND_WINDOW = 10
#: kind nouns, lower case, to their singular
KINDS = {
    **dict.fromkeys(("dataset", "datasets"), "dataset"),
    **dict.fromkeys(("corpus", "corpora"), "corpus"),
    **dict.fromkeys(("database", "databases"), "database"),
    **dict.fromkeys(("benchmark", "benchmarks"), "benchmark"),
    **dict.fromkeys(("set", "sets"), "set"),
    **dict.fromkeys(("model", "models"), "model"),
    **dict.fromkeys(("method", "methods"), "method"),
    **dict.fromkeys(("network", "networks"), "network"),
    **dict.fromkeys(("task", "tasks"), "task"),
    **{
        w: w
        for w in (
            "data collection archive suite leaderboard testbed challenge split framework architecture "
            "algorithm approach technique system pipeline library toolkit metric"
        ).split()
    },
}


def nearest_kinds(left: Sequence[str], right: Sequence[str]) -> tuple[str | None, str | None]:
    """The nearest kind noun within :data:`KIND_WINDOW` words before and after a mention
    (``left``/``right``: the sentence's words on each side, in order, lower case).

    >>> nearest_kinds("we release the".split(), "dataset of 10k scans".split())
    (None, 'dataset')
    >>> nearest_kinds("accuracy on the mmlu and gsm8k benchmarks for all models".split(), [])
    ('model', None)
    """
    near_left = next((KINDS[w] for w in reversed(left[-KIND_WINDOW:]) if w in KINDS), None)
    near_right = next((KINDS[w] for w in right[:KIND_WINDOW] if w in KINDS), None)
    return near_left, near_right
