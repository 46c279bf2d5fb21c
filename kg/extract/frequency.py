"""How many arXiv abstracts write a name: a corpus prior for the per-paper decisions.

A phrase that hundreds of abstracts write in lower case ("language models") is seldom a
paper's named contribution; one that no other abstract writes ("conduct amounts of
experiments in various model families") is seldom a shared entity, and one that kg's
recognizer finds in few of the abstracts that write it ("state-of-the-art") is seldom a name.
The shipped table
``kg/models/names.tsv.gz`` holds, for every name kg's recognizer finds in the 72,328 abstracts
of the arXiv cs corpus that are in no annotated set, how many of them write it and in how many
it finds it (``training/names.py``). The *keep* decision reads them as features
(:func:`frequency_features`); what each bucket weighs is learned. The type and ``introduces``
decisions do not: a name every 2025 abstract writes was still introduced by its own paper.
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "CORPUS_FEATURES",
    "NameCounts",
    "name_key",
    "word_keys",
    "load_frequencies",
    "frequency_features",
    "MAX_WORDS",
    "TABLE_FILE",
]

TABLE_FILE = "names.tsv.gz"
#: the prefixes of the features :func:`frequency_features` gives (only the keep decision learns them)
CORPUS_FEATURES = ("df:", "found:")
#: names longer than this many words are not counted (they are rare anyway)
MAX_WORDS = 6
_WORD = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-.+]*[A-Za-z0-9+])?")
#: bucket upper bounds (exclusive): a paper of the corpus counts itself, so 1-2 is "rare"
_BUCKETS = ((3, "rare"), (10, "3-9"), (50, "10-49"), (200, "50-199"))
#: bucket upper bounds of the share of a name's abstracts where kg finds it
_SHARES = ((0.05, "<0.05"), (0.2, "0.05-0.2"), (0.5, "0.2-0.5"), (0.8, "0.5-0.8"))


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


class NameCounts(NamedTuple):
    """How many corpus abstracts write a name, and in how many of them kg's recognizer (with
    the candidate rules) finds it."""

    written: int
    found: int


@lru_cache(maxsize=2)
def load_frequencies(path: str | None = None) -> Mapping[str, NameCounts]:
    """The shipped table (or the one at ``path`` / ``$KG_NAMES_TABLE``): name key -> counts;
    names written by fewer than three abstracts are not listed."""
    path = path or os.environ.get("KG_NAMES_TABLE")
    shipped = resources.files("kg") / "models" / TABLE_FILE
    raw = shipped.read_bytes() if path is None else Path(path).read_bytes()
    table: dict[str, NameCounts] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            key, written, found = line.split("\t")
            table[key] = NameCounts(int(written), int(found))
    return table


def frequency_features(names: Iterable[str], table: Mapping[str, NameCounts]) -> set[str]:
    """The corpus-frequency bucket of an entity's written forms (the most frequent form), alone
    and with whether every form is lower case; and for a form the table lists, the share of
    the abstracts writing it where kg finds it (``found:``).

    >>> sorted(frequency_features(["language models"], {"language models": NameCounts(812, 203)}))
    ['df:200+', 'df:200+:lower', 'found:0.2-0.5']
    >>> sorted(frequency_features(["GCAN"], {}))
    ['df:rare', 'df:rare:cased']
    """
    names = list(names)
    if not names:
        return set()
    counts = max((table.get(name_key(x), NameCounts(0, 0)) for x in names), key=lambda c: c.written)
    bucket = next((label for bound, label in _BUCKETS if counts.written < bound), "200+")
    case = "lower" if all(x == x.lower() for x in names) else "cased"
    feats = {f"df:{bucket}", f"df:{bucket}:{case}"}
    if counts.written:
        share = counts.found / counts.written
        feats.add(f"found:{next((label for bound, label in _SHARES if share < bound), '0.8+')}")
    return feats
