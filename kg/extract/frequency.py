"""How many arXiv abstracts write a name: a corpus prior for the per-paper decisions.

A phrase that hundreds of abstracts write in lower case ("language models") is seldom a
paper's named contribution; one that no other abstract writes ("conduct amounts of
experiments in various model families") is seldom a shared entity, and one that kg's
recognizer finds in few of the abstracts that write it ("state-of-the-art") is seldom a name.
The shipped table
``kg/models/names.tsv.gz`` holds, for every name kg's recognizer finds in the 72,328 abstracts
of the arXiv cs corpus that are in no annotated set, how many of them write it and in how many
it finds it (``training/names.py``). The *keep* decision reads them as features
(:func:`frequency_features`); what each bucket weighs is learned. The type decision does not
(shared says nothing of dataset or method). ``introduces`` reads them only for a name its paper's
title is not named by (:data:`UNTITLED`): "we propose X" in a paper using Faster R-CNN is not an
introduction of it, while a name every 2025 abstract writes was still introduced by its own
report ("GPT-4 Technical Report").
"""

from __future__ import annotations

import gzip
import os
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

__all__ = [
    "CORPUS_FEATURES",
    "UNTITLED",
    "KIND_FEATURES",
    "kind_features",
    "NameCounts",
    "name_key",
    "word_keys",
    "load_frequencies",
    "frequency_features",
    "MAX_WORDS",
    "TABLE_FILE",
    "shared_name",
    "SHARED_ABSTRACTS",
]

TABLE_FILE = "names.tsv.gz"
#: the prefixes of the features :func:`frequency_features` gives (only the keep decision learns them)
CORPUS_FEATURES = ("df:", "found:")
#: the suffix of the corpus-frequency features of a name the paper's title is not named by
#: (not the whole title head: "df:200+:cased:untitled"); the only ones ``introduces`` reads
UNTITLED = ":untitled"
#: the prefix of the features :func:`kind_features` gives (the type and keep decisions read them)
KIND_FEATURES = ("ckind:",)
#: a kind noun is a name's when it is this share of the kind nouns near the name in the corpus...
KIND_SHARE = 0.25
#: ... and near it in this many abstracts or more
KIND_MIN = 2
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
    """How many corpus abstracts write a name, in how many of them kg's recognizer (with the
    candidate rules) finds it, and in how many each kind noun is the nearest on a side of it
    (:func:`kg.extract.kinds.nearest_kinds`): ``(("benchmark", 40), ("dataset", 12))``."""

    written: int
    found: int
    kinds: tuple[tuple[str, int], ...] = ()


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
            key, written, found, *rest = line.split("\t")
            kinds = (
                tuple((k, int(n)) for k, _, n in (x.partition(":") for x in rest[0].split(",") if x)) if rest else ()
            )
            table[key] = NameCounts(int(written), int(found), kinds)
    return table


def format_kinds(kinds: Iterable[tuple[str, int]]) -> str:
    """The table's kinds column (most frequent first).

    >>> format_kinds({"dataset": 3, "benchmark": 12}.items())
    'benchmark:12,dataset:3'
    """
    return ",".join(f"{k}:{n}" for k, n in sorted(kinds, key=lambda kn: (-kn[1], kn[0])))


def _counts(names: Iterable[str], table: Mapping[str, NameCounts]) -> list[NameCounts]:
    """The table's counts of each written form, in the forms' sorted order: of forms that tie
    (written by as many abstracts), ``max`` takes the same one run to run, not the first of a
    set, whose order changes with the hash seed."""
    return [table.get(name_key(x), NameCounts(0, 0)) for x in sorted(names)]


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
    counts = max(_counts(names, table), key=lambda c: (c.written, c.found))
    bucket = next((label for bound, label in _BUCKETS if counts.written < bound), "200+")
    case = "lower" if all(x == x.lower() for x in names) else "cased"
    feats = {f"df:{bucket}", f"df:{bucket}:{case}"}
    if counts.written:
        share = counts.found / counts.written
        feats.add(f"found:{next((label for bound, label in _SHARES if share < bound), '0.8+')}")
    return feats


def kind_features(names: Iterable[str], table: Mapping[str, NameCounts]) -> set[str]:
    """What the field calls a name: each kind noun that is :data:`KIND_SHARE` or more of those
    nearest the name across the corpus, in :data:`KIND_MIN` abstracts or more (of the written
    form with the most). A prior for the type decision: "DCLM" is a corpus wherever it is
    written, "MMLU" a benchmark, although one abstract may only say "on DCLM".

    >>> table = {"mmlu": NameCounts(900, 880, (("benchmark", 300), ("model", 120), ("dataset", 40)))}
    >>> sorted(kind_features(["MMLU"], table)), kind_features(["GCAN"], table)
    (['ckind:benchmark', 'ckind:model'], set())
    """
    best = max((c.kinds for c in _counts(names, table)), key=lambda kinds: sum(n for _, n in kinds), default=())
    total = sum(n for _, n in best)
    return {f"ckind:{k}" for k, n in best if n >= KIND_MIN and n >= KIND_SHARE * total}


#: a form kg's recognizer finds in this many abstracts of the arXiv corpus (kg's table) is a name others write
SHARED_ABSTRACTS = 3


def shared_name(frequencies: Mapping[str, NameCounts]) -> Callable[[str], bool]:
    """Whether the arXiv corpus has a form as a name in :data:`SHARED_ABSTRACTS` abstracts or
    more: the resolver's numbers a small build lacks ("Vision-Language Model", found in 615).

    A hyphen may be left out ("Bi-GRU" is counted as "BiGRU").

    >>> table = {"vision-language model": NameCounts(690, 615), "image editing agent": NameCounts(3, 1), "bigru": NameCounts(9, 9)}
    >>> shared = shared_name(table)
    >>> shared("Vision-Language Model"), shared("Image Editing Agent"), shared("ViLaM"), shared("Bi-GRU")
    (True, False, False, True)
    """

    def shared(form: str) -> bool:
        key = name_key(form)
        counts = frequencies.get(key) or ("-" in key and frequencies.get(key.replace("-", ""))) or None
        return counts is not None and counts.found >= SHARED_ABSTRACTS

    return shared
