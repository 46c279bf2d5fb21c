"""Learned decisions per paper and entity: whether it is one at all (keep), its type as the
paper uses it, and whether the paper introduces it.

The recognizer reads one mention at a time; these decisions read all of an entity's mentions
in a paper together. The words around its mentions ("accuracy on X", "trained on X", "we
propose X"), the title position ("X: a benchmark for ..."), an acronym definition and the
name's own words and shape are *features* -- and how many abstracts of the arXiv corpus write
the name and where kg finds it (:mod:`kg.extract.frequency`), which the keep decision weighs
and ``introduces`` for names the title is not named by; the decisions are logistic
regressions trained on the annotated arXiv abstracts (``training/decide.py``), shipped as
``kg/models/decide.json``:

* keep: whether what the recognizer found (typed METHOD) is an entity, learned from what
  recognizers found in abstracts they were not trained on;
* the type: METHOD, DATASET or BENCHMARK, combined with the recognizer's labels of the
  mentions (``DecisionModel.type_of``);
* ``introduces``: the paper names the entity as its own -- "we propose X", "X, a novel
  framework", the name its title opens with -- never a field-wide hub mentioned on the way.

:func:`entity_features` turns one entity's mentions in one paper into sparse binary features
(pure, over plain strings and offsets); :class:`LinearModel` scores them.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from kg.extract.frequency import UNTITLED, NameCounts, frequency_features, kind_features, load_frequencies
from kg.extract.kinds import nearest_kinds
from kg.extract.titles import TITLE_NAME as _TITLE_NAME
from kg.model import EntityType, Field

__all__ = [
    "Occurrence",
    "entity_features",
    "recognizer_features",
    "LinearModel",
    "DecisionModel",
    "load_decision_model",
    "MODEL_FILE",
    "TYPES",
]

MODEL_FILE = "decide.json"
TYPES: tuple[EntityType, ...] = ("METHOD", "DATASET", "BENCHMARK")

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[0-9]+|[^\sa-z0-9]", re.I)
#: the parts of a written name: "AuditBench" -> Audit, Bench; "FAVOR-Train" -> FAVOR, Train
_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
#: left-context window in words, right-context window in words
LEFT, RIGHT = 6, 4


class Occurrence(NamedTuple):
    """Where an entity is written in a paper: ``field`` ("title"/"abstract") and offsets."""

    field: Field
    start: int
    end: int


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def _shape(name: str) -> list[str]:
    feats = []
    letters = [c for c in name if c.isalpha()]
    if any(c.isdigit() for c in name):
        feats.append("shape:digit")
    if letters and all(c.isupper() for c in letters) and len(letters) >= 2:
        feats.append("shape:allcaps")
    elif any(c.isupper() for c in name[1:]) and any(c.islower() for c in name):
        feats.append("shape:mixed")
    elif name[:1].isupper():
        feats.append("shape:capital")
    else:
        feats.append("shape:lower")
    n = len(name.split())
    feats.append(f"words:{min(n, 4)}")
    if "-" in name:
        feats.append("shape:hyphen")
    return feats


@lru_cache(maxsize=65536)
def _name_features(name: str) -> frozenset[str]:
    """The features of an entity's written form: its shape, its words, the parts of its words
    and the last of them -- "AuditBench" ends in *bench*, "FAVOR-Train" in *train*, a type
    the whole word does not tell (names repeat across a corpus, so they are computed once each).

    >>> sorted(f for f in _name_features("AuditBench") if f.startswith(("part:", "last:")))
    ['last:bench', 'part:audit', 'part:bench']
    """
    parts = [p.lower() for p in _PART.findall(name)]
    feats = set(_shape(name)) | {f"word:{w}" for w in _words(name) if w.isalpha()}
    feats |= {f"part:{p}" for p in parts}
    if parts:
        feats.add(f"last:{parts[-1]}")
    return frozenset(feats)


def _sentence(sents: Sequence[tuple[int, int]], pos: int) -> tuple[int, tuple[int, int]]:
    for i, (s, e) in enumerate(sents):
        if s <= pos < e:
            return i, (s, e)
    return len(sents), (0, pos)


def entity_features(
    occurrences: Sequence[Occurrence],
    texts: Mapping[str, str],
    sents: Mapping[str, Sequence[tuple[int, int]]],
    *,
    type_: str | None = None,
    defined: bool = False,
    frequencies: Mapping[str, NameCounts] | None = None,
) -> set[str]:
    """Binary features of one entity in one paper.

    Parameters
    ----------
    occurrences : where the entity is written (title and abstract offsets).
    texts : ``{"title": ..., "abstract": ...}``.
    sents : sentence boundaries per field (character offsets).
    type_ : the entity's type in this paper (METHOD, DATASET, BENCHMARK), or None when the
        features are for deciding the type.
    defined : whether the paper defines an acronym for it ("Low-Rank Adaptation (LoRA)").
    frequencies : how many corpus abstracts write (and kg finds) each name (:mod:`kg.extract.frequency`;
        None: the shipped table).

    Examples
    --------
    >>> t = {"title": "GCAN: Counterfactual Attention", "abstract": "We propose GCAN, a novel network."}
    >>> s = {"title": [(0, 30)], "abstract": [(0, 34)]}
    >>> f = entity_features([Occurrence("title", 0, 4), Occurrence("abstract", 11, 15)], t, s, type_="METHOD")
    >>> sorted(x for x in f if x.startswith(("L:", "R:", "title")))
    ['L:propose', 'L:we', 'R:,', 'R:a', 'R:network', 'R:novel', 'title:head', 'title:head:whole', 'title:in']

    ``type_`` adds one feature only (kg.extract.corpus computes the rest once per entity):

    >>> f == entity_features([Occurrence("title", 0, 4), Occurrence("abstract", 11, 15)], t, s) | {"type:METHOD"}
    True
    """
    feats: set[str] = {"bias"}
    if type_:
        feats.add(f"type:{type_}")
    if defined:
        feats.add("defined")
    if not occurrences:
        return feats
    title = texts.get("title", "")
    head = _TITLE_NAME.match(title)
    n_abstract = 0
    names: set[str] = set()
    first_sent, first_we = None, False
    first_context: set[str] = set()
    for occ in occurrences:
        text = texts.get(occ.field, "")
        name = text[occ.start : occ.end]
        feats |= _name_features(name)
        names.add(name)
        if occ.field == "title":
            feats.add("title:in")
            if head and occ.start >= head.start(1) and occ.end <= head.end(1):
                feats.add("title:head")
                # the head is the name ("GCAN: ...") or only holds it ("From CLIP to DINO: ...")
                whole = occ.start == head.start(1) and occ.end == head.end(1)
                feats.add("title:head:whole" if whole else "title:head:part")
                rest = title[head.end() :].lower()
                for kind in ("benchmark", "dataset", "corpus", "framework", "model", "method"):
                    if kind in rest:
                        feats.add(f"title:rest:{kind}")
            elif occ.start == 0:
                feats.add("title:start")
            continue
        n_abstract += 1
        i, (s, e) = _sentence(sents.get(occ.field) or [(0, len(text))], occ.start)
        left = _words(text[s : occ.start])
        right = _words(text[occ.end : e])
        context = {f"L:{w}" for w in left[-LEFT:]} | {f"R:{w}" for w in right[:RIGHT]}
        if left[-1:]:
            context.add(f"L1:{left[-1]}")
        if right[:1]:
            context.add(f"R1:{right[0]}")
        feats |= context
        # what kind of thing the sentence says it is, nearest on each side
        near_left, near_right = nearest_kinds(left, right)
        if near_left:
            feats.add(f"kindL:{near_left}")
        if near_right:
            feats.add(f"kindR:{near_right}")
        sentence_words = set(left)
        we = "we" in sentence_words or "our" in sentence_words
        if first_sent is None or i < first_sent:
            first_sent, first_we = i, we
            first_context = context
        if we:
            feats.add("sent:we")
            # the cue with the author as its subject ("we introduce X" vs "X was introduced")
            if left[-1:]:
                feats.add(f"weL1:{left[-1]}")
        if {"this", "paper"} <= sentence_words or {"this", "work"} <= sentence_words:
            feats.add("sent:thispaper")
    table = load_frequencies() if frequencies is None else frequencies
    corpus = frequency_features(names, table)
    feats |= corpus | kind_features(names, table)
    if "title:head:whole" not in feats:
        # a name the corpus knows is seldom this paper's own -- unless its title is named by it
        # ("GPT-4 Technical Report", not "From CLIP to DINO: ..."): the only corpus features
        # ``introduces`` reads
        feats.update(f + UNTITLED for f in corpus if f.startswith("df:"))
    feats.add(f"mentions:{min(n_abstract, 4)}")
    if first_sent is not None:
        k = min(first_sent, 4)
        feats.add(f"firstsent:{k}")
        # the abstract's first sentence is background, unless the authors speak in it
        feats.add(f"firstsent:{k}:{'we' if first_we else 'other'}")
        # the first mention in the abstract is where a paper names its own contribution
        feats.update(f"F{f}" for f in first_context)
    return feats


def recognizer_features(labels: Mapping[EntityType, int], sources: Iterable[str]) -> set[str]:
    """What the recognizer and the candidate rules said of an entity's mentions in a paper:
    the labels given (and how often), and which rules found it.

    >>> sorted(recognizer_features({"METHOD": 2, "BENCHMARK": 1}, ["ner", "repeat"]))
    ['label:BENCHMARK', 'label:METHOD', 'label:mixed', 'labelled:3', 'source:ner', 'source:repeat']
    """
    feats = {f"label:{k}" for k, n in labels.items() if n}
    if len(feats) > 1:
        feats.add("label:mixed")
    feats.add(f"labelled:{min(sum(labels.values()), 4)}")
    feats.update(f"source:{s}" for s in set(sources))
    return feats


@dataclass(frozen=True)
class LinearModel:
    """A (multinomial) logistic regression over binary features: ``weights[feature][k]`` is the
    weight of ``feature`` for class ``classes[k]``."""

    classes: tuple[str, ...]
    weights: Mapping[str, Sequence[float]]

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        # the weight rows of the features the model knows, summed column by column
        rows = [w for w in map(self.weights.get, features) if w is not None]
        z = [sum(col) for col in zip(*rows, strict=True)] if rows else [0.0] * len(self.classes)
        top = max(z)
        e = [math.exp(x - top) for x in z]
        total = sum(e)
        return {c: x / total for c, x in zip(self.classes, e, strict=True)}

    def as_dict(self) -> dict:
        return {"classes": list(self.classes), "weights": dict(sorted(self.weights.items()))}

    @classmethod
    def from_dict(cls, d: Mapping) -> LinearModel:
        return cls(tuple(d["classes"]), {k: tuple(v) for k, v in d["weights"].items()})


@dataclass(frozen=True)
class DecisionModel:
    """kg's two per-paper decisions. ``recognizer_weight`` is how much the recognizer's labels
    of the mentions count against the context model in the type decision; ``threshold`` is
    the probability from which a paper introduces an entity. Both were chosen on the dev split.
    """

    types: LinearModel
    introduces: LinearModel
    recognizer_weight: float = 1.0
    threshold: float = 0.5
    #: keeps or drops an entity the recognizer found in a paper (None: keep all)
    keep: LinearModel | None = None
    keep_threshold: float = 0.5
    #: added to a type's score (the rarer types' priors, tuned for per-type F1 on the dev split)
    type_bias: Mapping[str, float] = field(default_factory=dict)
    #: the types the keep decision judges; the others are always kept. Judging every type,
    #: even learned from fold recognizers trained with TDMSci as the shipped one is, costs
    #: TDMSci's DATASET overlap F1 0.712 -> 0.658 for +0.005 on arXiv (training/README.md)
    keep_types: tuple[EntityType, ...] = ("METHOD",)
    #: whether the recognizer's DATASET and BENCHMARK labels vote apart in the type decision.
    #: They do not: the recognizer tells data from a method, not a dataset from a benchmark
    #: (of the test split's 136 dataset mentions it labels 7 DATASET, 39 BENCHMARK, 53 METHOD),
    #: so either label votes for both and the context decides between them (training/README.md)
    split_data_labels: bool = False

    def kept(self, features: Iterable[str], type_: EntityType) -> bool:
        """Whether an entity found in a paper and typed ``type_`` there is one (``features``:
        :func:`entity_features` with :func:`recognizer_features`)."""
        if self.keep is None or type_ not in self.keep_types:
            return True
        return self.keep.probabilities(features)["yes"] >= self.keep_threshold

    def type_of(self, features: Iterable[str], labels: Mapping[EntityType, int]) -> EntityType:
        """The entity's type from its context ``features`` and its mentions' ``labels``
        (label -> how many mentions the recognizer gave it)."""
        probs = self.types.probabilities(features)
        if not self.split_data_labels:
            data = labels.get("DATASET", 0) + labels.get("BENCHMARK", 0)
            labels = {"METHOD": labels.get("METHOD", 0), "DATASET": data, "BENCHMARK": data}
        n = sum(labels.values())
        best, best_score = TYPES[0], -math.inf
        for t in TYPES:
            vote = (labels.get(t, 0) + 0.5) / (n + 0.5 * len(TYPES))
            score = (
                math.log(probs.get(t, 1e-9) + 1e-9)
                + self.recognizer_weight * math.log(vote)
                + self.type_bias.get(t, 0.0)
            )
            if score > best_score:
                best, best_score = t, score
        return best

    def introduced(self, features: Iterable[str]) -> bool:
        return self.introduces.probabilities(features)["yes"] >= self.threshold

    def to_json(self) -> str:
        return json.dumps(
            {
                "recognizer_weight": self.recognizer_weight,
                "threshold": self.threshold,
                "keep_threshold": self.keep_threshold,
                "type_bias": dict(self.type_bias),
                "types": self.types.as_dict(),
                "introduces": self.introduces.as_dict(),
                "keep": self.keep.as_dict() if self.keep else None,
                "keep_types": list(self.keep_types),
                "split_data_labels": self.split_data_labels,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> DecisionModel:
        d = json.loads(text)
        keep = LinearModel.from_dict(d["keep"]) if d.get("keep") else None
        return cls(
            LinearModel.from_dict(d["types"]),
            LinearModel.from_dict(d["introduces"]),
            d["recognizer_weight"],
            d["threshold"],
            keep,
            d.get("keep_threshold", 0.5),
            d.get("type_bias", {}),
            tuple(d.get("keep_types", ("METHOD",))),
            d.get("split_data_labels", True),  # files written before the key voted apart
        )


@lru_cache(maxsize=2)
def load_decision_model(path: str | None = None) -> DecisionModel:
    """kg's shipped model (``kg/models/decide.json``), or the one at ``path`` (or at
    ``$KG_DECIDE_MODEL``, for experiments)."""
    path = path or os.environ.get("KG_DECIDE_MODEL")
    if path is None:
        text = (resources.files("kg") / "models" / MODEL_FILE).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return DecisionModel.from_json(text)
