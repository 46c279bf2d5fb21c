"""How many arXiv abstracts write a name: a corpus prior for the per-paper decisions.

A phrase that hundreds of abstracts write in lower case ("language models") is seldom a
paper's named contribution; one that no other abstract writes ("conduct amounts of
experiments in various model families") is seldom a shared entity. The shipped table
``kg/models/names.tsv.gz`` holds, for every name kg's recognizer finds in the 74,728 abstracts
of the arXiv cs corpus, how many of them write it (``training/names.py``). The decisions read
it as features (:func:`frequency_features`); what each bucket weighs is learned.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["name_key", "word_keys", "load_frequencies", "frequency_features", "MAX_WORDS", "TABLE_FILE"]

TABLE_FILE = "names.tsv.gz"
#: names longer than this many words are not counted (they are rare anyway)
MAX_WORDS = 6
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-.+]*[A-Za-z0-9+])?")
#: bucket upper bounds (exclusive): a paper of the corpus counts itself, so 1-2 is "rare"
_BUCKETS = ((3, "rare"), (10, "3-9"), (50, "10-49"), (200, "50-199"))


def word_keys(text: str) -> list[str]:
    """The lower-cased words of ``text`` as the table counts them.

    >>> word_keys("GPT-4V's results on MS-COCO (2017).")
    ['gpt-4v', 's', 'results', 'on', 'ms-coco', '2017']
    """
    return [w.lower() for w in _WORD.findall(text)]


def name_key(name: str) -> str:
    """The table's key of a written name: its words, lower-cased, joined by spaces.

    >>> name_key("Low-Rank Adaptation"), name_key("GPT-4")
    ('low-rank adaptation', 'gpt-4')
    """
    return " ".join(word_keys(name))


@lru_cache(maxsize=2)
def load_frequencies(path: str | None = None) -> Mapping[str, int]:
    """The shipped table (or the one at ``path`` / ``$KG_NAMES_TABLE``): name key -> number of
    abstracts that write it; names written by fewer than three are not listed."""
    path = path or os.environ.get("KG_NAMES_TABLE")
    shipped = resources.files("kg") / "models" / TABLE_FILE
    raw = shipped.read_bytes() if path is None else Path(path).read_bytes()
    table: dict[str, int] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, _, n = line.rpartition("\t")
            table[key] = int(n)
    return table


def frequency_features(names: Iterable[str], table: Mapping[str, int]) -> set[str]:
    """The corpus-frequency bucket of an entity's written forms (the most frequent form), alone
    and with whether every form is lower case.

    >>> sorted(frequency_features(["language models"], {"language models": 812}))
    ['df:200+', 'df:200+:lower']
    >>> sorted(frequency_features(["GCAN"], {}))
    ['df:rare', 'df:rare:cased']
    """
    names = list(names)
    if not names:
        return set()
    n = max(table.get(name_key(x), 0) for x in names)
    bucket = next((label for bound, label in _BUCKETS if n < bound), "200+")
    case = "lower" if all(x == x.lower() for x in names) else "cased"
    return {f"df:{bucket}", f"df:{bucket}:{case}"}
