"""Merging mentions into entities across a corpus: one entity per real thing.

Two surface forms belong to the same entity when

* they normalise to the same key (:func:`normalize`): case, plural, hyphen and space
  variants ("LLMs" = "LLM", "mixture-of-experts" = "Mixture of Experts"), versions kept
  apart ("GPT-3" is not "GPT-4", "Habitat 2.0" keeps its ".0");
* one is an acronym a paper defines for the other ("Low-Rank Adaptation (LoRA)"), unless
  the corpus defines that acronym in more than one way -- then each defining paper keeps
  its own meaning and the bare acronym elsewhere stays apart;
* kg's lexicon lists them as forms of one name ("MS COCO", "COCO").

Entity ids are ``<type>:<slug>`` (``method:lora``): the slug comes from the lexicon name,
else the acronym, else the most frequent surface form.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from kg.extract.lexicon import LexiconEntry

__all__ = ["normalize", "slugify", "EntityMerger"]

_KEEP_S = ("ss", "us", "is", "os", "xs")


def _singular_word(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S) and not word[-2].isdigit():
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():  # "LMs", "GANs"
        return word[:-1]
    return word


def normalize(name: str) -> str:
    """The merge key of a surface form: lower case, no accents, no spaces/hyphens/punctuation
    except dots inside version numbers, words singular.

    >>> [normalize(n) for n in ["LLMs", "large language models", "Mixture-of-Experts", "GPT-4", "Habitat 2.0", "Qwen 2.5"]]
    ['llm', 'largelanguagemodel', 'mixtureofexpert', 'gpt4', 'habitat2.0', 'qwen2.5']
    >>> normalize("LoRA+"), normalize("GIZA++")
    ('lora+', 'giza++')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"[^\W_]+(?:\.\d+)*", text)
    if not words:
        return text.lower().strip()
    plus = len(text) - len(text.rstrip("+"))  # "LoRA+" and "GIZA++" are not "LoRA" and "GIZA"
    return "".join(_singular_word(w) for w in words).lower() + "+" * plus


def slugify(name: str) -> str:
    """A readable, URL-safe id part: ``"Low-Rank Adaptation"`` -> ``"low-rank-adaptation"``.

    >>> slugify("Qwen2.5-72B-Instruct"), slugify("large language models"), slugify("The Pile"), slugify("LoRA+")
    ('qwen2.5-72b-instruct', 'large-language-model', 'the-pile', 'lora-plus')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = re.findall(r"[^\W_]+(?:\.\d+)*", text)
    if not words:
        return "x"
    words[-1] = _singular_word(words[-1])
    plus = len(text) - len(text.rstrip("+"))
    return "-".join(words + ["plus"] * plus).lower()


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class EntityMerger:
    """Collects surface forms, acronym definitions and types, then assigns entity ids.

    Use: :meth:`add_definition` for every acronym definition, :meth:`add_mention` for every
    mention, then :meth:`resolve`; afterwards :meth:`entity_of` maps a (paper, surface form)
    to its entity id and :attr:`entities` describes every entity.
    """

    def __init__(self, lexicon: Sequence[LexiconEntry] = ()):
        self.uf = _UnionFind()
        self.lexicon_name: dict[str, str] = {}
        for entry in lexicon:
            root = normalize(entry.name)
            self.lexicon_name.setdefault(root, entry.name)
            for form in entry.aliases:
                self.uf.union(root, normalize(form))
        self.definitions: dict[str, set[str]] = defaultdict(set)  # short key -> long keys
        self.local: dict[tuple[str, str], str] = {}  # (paper, short key) -> long key
        self.short_surface: dict[str, Counter] = defaultdict(Counter)
        self.surfaces: dict[str, Counter] = defaultdict(Counter)  # key -> surface forms
        self.types: dict[str, Counter] = defaultdict(Counter)
        self.papers: dict[str, set[str]] = defaultdict(set)
        self._ambiguous: set[str] | None = None
        self._resolved = False

    # ------------------------------------------------------------------ collecting
    def add_definition(self, paper: str, short: str, long: str) -> None:
        if self._ambiguous is not None:
            raise RuntimeError("add every definition before the first mention")
        s, l = normalize(short), normalize(long)
        if not s or not l or s == l:
            return
        self.definitions[s].add(l)
        self.local[(paper, s)] = l
        self.short_surface[s][short] += 1

    def ambiguous(self, short: str) -> bool:
        """Whether the corpus defines this short form with more than one meaning.

        Decided once, when the first mention arrives (all definitions are in by then), so
        that the unions :meth:`resolve` makes cannot change a short form's key afterwards.
        """
        if self._ambiguous is None:
            self._ambiguous = {s for s, longs in self.definitions.items()
                               if len({self.uf.find(x) for x in longs}) > 1}
        return normalize(short) in self._ambiguous

    def _key(self, paper: str, surface: str) -> str:
        k = normalize(surface)
        if k in self.definitions and self.ambiguous(surface):
            local = self.local.get((paper, k))
            return f"{local}" if local else f"{k}#ambiguous"
        return k

    def add_mention(self, paper: str, surface: str, type_: str, weight: float = 1.0) -> None:
        k = self._key(paper, surface)
        self.surfaces[k][surface] += 1
        self.types[k][type_] += weight
        self.papers[k].add(paper)

    # ------------------------------------------------------------------ resolving
    def resolve(self) -> None:
        for s, longs in self.definitions.items():
            if not self.ambiguous(s):
                self.uf.union(s, next(iter(longs)))
        groups: dict[str, list[str]] = defaultdict(list)
        for k in list(self.surfaces):
            groups[self.uf.find(k)].append(k)
        self._root_info: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
        taken: dict[str, str] = {}
        for root in sorted(groups):
            keys = groups[root]
            surfaces: Counter = Counter()
            types: Counter = Counter()
            for k in keys:
                surfaces.update(self.surfaces[k])
                types.update(self.types[k])
            type_ = self._vote(types)
            name = self._display(keys, surfaces)
            base = f"{type_.lower()}:{slugify(self._id_name(keys, surfaces))}"
            eid = base
            n = 2
            while eid in taken and taken[eid] != root:
                eid = f"{base}-{n}"
                n += 1
            taken[eid] = root
            aliases = tuple(sorted({s for s in surfaces if s != name}, key=lambda s: (-surfaces[s], s)))
            self._root_info[root] = (eid, name, type_, aliases)
        self._resolved = True

    @staticmethod
    def _vote(types: Counter) -> str:
        method = types.get("METHOD", 0.0)
        data = types.get("DATASET", 0.0) + types.get("BENCHMARK", 0.0)
        if method >= data:
            return "METHOD"
        return "BENCHMARK" if types.get("BENCHMARK", 0.0) >= types.get("DATASET", 0.0) else "DATASET"

    def _display(self, keys: list[str], surfaces: Counter) -> str:
        for k in keys:
            if k in self.lexicon_name and any(normalize(s) == k for s in surfaces):
                return self.lexicon_name[k]
        return min(surfaces, key=lambda s: (-surfaces[s], s.endswith("s"), -len(s), s))

    def _id_name(self, keys: list[str], surfaces: Counter) -> str:
        for k in sorted(keys):
            if k in self.lexicon_name:
                return self.lexicon_name[k]
        shorts = [k for k in keys if k in self.definitions]
        if shorts:
            best = min(shorts, key=lambda k: (len(k), k))
            forms = self.short_surface.get(best)
            if forms:
                return forms.most_common(1)[0][0]
            cands = [s for s in surfaces if normalize(s) == best]
            if cands:
                return min(cands)
        return min(surfaces, key=lambda s: (-surfaces[s], s))

    def entity_of(self, paper: str, surface: str) -> str:
        """The entity id of a surface form as used in a paper."""
        return self._root_info[self.uf.find(self._key(paper, surface))][0]

    @property
    def entities(self) -> Iterable[tuple[str, str, str, tuple[str, ...]]]:
        """``(id, name, type, aliases)`` for every entity."""
        return self._root_info.values()
