"""The corpus-level resolution step: every written form of every paper to one entity.

See :mod:`kg.resolve` for the model. :func:`resolve` is a pure function of the papers'
forms (and kg's lexicon): the same input gives the same ids, whatever the process, hash
seed or number of workers.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from kg.model import Entity, EntityType
from kg.resolve.acronyms import (
    Contexts,
    Sense,
    SenseParams,
    abbreviates,
    choose_sense,
    fit_long_form,
    group_senses,
    needs_context,
)
from kg.resolve.families import _candidates, family_of
from kg.resolve.keys import HEAD_WORDS, casing, entity_key, head_free, is_short_form, normalize, slugify, words

__all__ = ["Form", "PaperForms", "Resolution", "resolve", "LEXICON_WEIGHT", "coarse_type"]

logger = logging.getLogger(__name__)

#: how many defining papers a lexicon entry counts as
LEXICON_WEIGHT = 3.0
#: an acronym is spelt out inside longer names when one sense has this share of its definitions
EXPAND_SHARE = 0.8
#: a short form defined in fewer than this share of the papers using it is a name of its own
ESTABLISHED = 0.01
#: how many papers must write the same "long (SHORT)" pair for it to define SHORT when its
#: letters come from inside the long form's words
WEAK_AGREED = 2
#: a family reached through an acronym ("SD3" -> "SD" -> Stable Diffusion) has at least this many papers
FAMILY_MIN_PAPERS = 10
_SPLIT_WORDS = re.compile(r"[\s\-/]+")
#: nouns after a one-word name that say it is data: "Objaverse dataset" is Objaverse
_DATA_HEADS = frozenset("dataset datasets database databases corpus benchmark benchmarks".split())
_INNER_ACRONYM = re.compile(r"[A-Za-z0-9]*[A-Z][A-Za-z0-9]*[A-Z0-9]")  # a word with two capitals, or one and a digit


@dataclass(frozen=True)
class Form:
    """One written form of a method, dataset or benchmark in a paper, as the recognizer saw it.

    ``long_form`` is set when the paper defines this form as an acronym of a longer name
    ("LoRA" with ``long_form="Low-Rank Adaptation"``).
    """

    text: str
    type: str
    confidence: float = 1.0
    long_form: str | None = None


@dataclass(frozen=True)
class PaperForms:
    """A paper's forms, in any order, and its text (title and abstract) as topical context."""

    id: str
    forms: tuple[Form, ...]
    context: str = ""


@dataclass(frozen=True)
class Resolution:
    """What :func:`resolve` decided: per paper, per form, an entity id; and the entities
    (with their papers and, for a variant, its ``family``)."""

    entity_ids: tuple[tuple[str, ...], ...]
    entities: dict[str, Entity]
    #: how bare acronyms were resolved ("local", "named", "established", "dominant", "context", "tie", "casing")
    acronym_decisions: Counter = field(default_factory=Counter)
    #: seconds per stage
    timings: dict = field(default_factory=dict)


def coarse_type(entity_type: str) -> str:
    """``"METHOD"`` or ``"DATA"`` (a dataset and a benchmark are the same kind of thing)."""
    return "METHOD" if entity_type == "METHOD" else "DATA"


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        parent = self.parent
        if x not in parent:
            parent[x] = x
            return x
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:  # the smaller key is the root: independent of the order of unions
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


def _entity(eid: str, name: str, type_: str, aliases: tuple, papers: tuple, family: str | None = None) -> Entity:
    """An :class:`~kg.model.Entity`, made without the frozen dataclass's per-field
    ``object.__setattr__`` (a third of the time for the 267,000 entities of the arXiv corpus)."""
    e = object.__new__(Entity)
    e.__dict__.update(id=eid, name=name, type=type_, aliases=aliases, papers=papers, family=family)
    return e


def _name_like(long: str) -> bool:
    """A "long form" that is itself a short name ("GPT-4.1 model" for "GPT-4o") defines nothing."""
    if is_short_form(long):
        return True
    ws = long.split()
    while len(ws) > 1 and ws[-1].lower().rstrip("s") in HEAD_WORDS:
        ws = ws[:-1]
    return is_short_form(" ".join(ws))


def _initialism(short: str, long: str) -> bool:
    """Whether ``short`` is, capital for capital, the initials of ``long``'s words: "MARL" for
    "Multi-Agent Reinforcement Learning", "VLMs" for "Vision-Language Models" -- never
    "ViLaM" for "Vision-Language Model", which says what kind of thing ViLaM is.

    >>> _initialism("MARL", "Multi-Agent Reinforcement Learning"), _initialism("VLMs", "vision-language models")
    (True, True)
    >>> _initialism("ViLaM", "Vision-Language Model"), _initialism("GAN", "Graph Attention Network model")
    (False, False)
    """
    letters = short[:-1] if short.endswith("s") else short
    if len(letters) < 2 or not letters.isalpha() or not letters.isupper():
        return False
    return [w[0].upper() for w in _SPLIT_WORDS.split(long) if w] == list(letters)


_HUMPS = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|\d+")


def _compound_initials(short: str, long: str) -> bool:
    """Whether an all-capital ``short`` is, letter for letter, the initials of the parts of a
    one-word name: "OSM" for "OpenStreetMap", "S2" for "Sentinel-2", "IN" for "ImageNet". A
    name defines such an acronym even though it is a short name itself.

    >>> _compound_initials("OSM", "OpenStreetMap"), _compound_initials("S2", "Sentinel-2")
    (True, True)
    >>> _compound_initials("GPT", "GPT-4.1"), _compound_initials("MoE", "MoEfication"), _compound_initials("OS", "OpenStreetMap")
    (False, False, False)

    A sign both end with is no letter: "FF++" for "FaceForensics++".

    >>> _compound_initials("FF++", "FaceForensics++"), _compound_initials("FF++", "FaceForensics")
    (True, False)
    """
    tail = len(short) - len(short.rstrip("+*'"))
    if tail:
        if not long.endswith(short[-tail:]):
            return False
        short, long = short[:-tail], long[:-tail]
    s = short[:-1] if short.endswith("s") and short[:-1].isupper() else short
    if len(s) < 2 or not all(c.isupper() or c.isdigit() for c in s) or " " in long.strip():
        return False
    parts = [m.group(0) for m in _HUMPS.finditer(long)]
    return len(parts) == len(s) and all(p[0].upper() == c for p, c in zip(parts, s, strict=True))


def _one_word_short(form: str) -> bool:
    """Whether ``form`` can be an acronym a definition gives: a short form of one word."""
    return is_short_form(form) and " " not in form.strip()


def _defines(short: str, long: str) -> bool:
    """Whether "``long`` (``short``)" defines the acronym for the whole corpus: ``long`` spells
    it out and is no short name itself, or it is a one-word name whose parts give its letters."""
    return (
        not _name_like(long) and (abbreviates(short, long) or abbreviates(short, long, strict=False))
    ) or _compound_initials(short, long)


def _vote(types: Mapping[str, float]) -> EntityType:
    method = types.get("METHOD", 0.0)
    data = types.get("DATASET", 0.0) + types.get("BENCHMARK", 0.0)
    if method >= data:
        return "METHOD"
    return "BENCHMARK" if types.get("BENCHMARK", 0.0) >= types.get("DATASET", 0.0) else "DATASET"


def _most_frequent(counts: Mapping[str, int]) -> str:
    return min(counts, key=lambda s: (-counts[s], s.endswith("s"), -len(s), s))


def _singular_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """``counts`` with a plural counted as its singular where papers write that too: "DNNs"
    and "DNN" are one written name, shown as "DNN".

    >>> _singular_counts({"DNNs": 3, "DNN": 2, "deep neural networks": 4, "Kinetics": 1})
    {'DNN': 5, 'deep neural networks': 4, 'Kinetics': 1}
    """
    out: dict[str, int] = {}
    for s, n in counts.items():
        one = s[:-1] if s.endswith("s") and s[:-1] in counts else s
        out[one] = out.get(one, 0) + n
    return out


def _name_of(counts: Mapping[str, int]) -> str:
    """The written form an entity is shown by: the most frequent (a plural counted as its
    singular, where written), of equally frequent ones the longest, but the name alone over
    the name with a kind word ("ISIC" over "ISIC database", as often written)."""
    counts = _singular_counts(counts)
    name = _most_frequent(counts)
    ws = name.split()
    if len(ws) > 1 and (ws[-1].lower() in _DATA_HEADS or ws[-1].lower().removesuffix("s") in HEAD_WORDS):
        bare = " ".join(ws[:-1]).lower()
        for s, n in counts.items():
            if n == counts[name] and s.lower() == bare:
                return s
    return name


class _Resolver:
    def __init__(
        self,
        papers: Sequence[PaperForms],
        lexicon: Iterable,
        params: SenseParams,
        clock: list | None = None,
        shared: Callable[[str], bool] | None = None,
    ):
        self.papers = papers
        self.shared: Callable[[str], bool] = shared or (lambda form: False)
        tick = (lambda what: clock.append((what, time.perf_counter()))) if clock is not None else (lambda what: None)
        self.params = params
        self.uf = _UnionFind()
        self.key: Callable[[str], str] = entity_key
        # short key -> long key -> [weight, casings, papers]
        self.defs: dict[str, dict[str, list]] = defaultdict(dict)
        self.local: list[dict[str, str]] = [{} for _ in papers]  # per paper: short key -> long key
        # per paper: a key that means another here -> (that key, the form to show for it or None)
        self.remap: list[dict[str, tuple[str, str | None]]] = [{} for _ in papers]
        self.surface_of: dict[str, Counter] = defaultdict(Counter)  # long key -> its written forms
        self.lex_name: dict[str, tuple[int, str, str]] = {}  # key joined through the lexicon -> (order, name, type)
        self.lex_plain: set[str] = set()  # keys of lexicon entries without a long form
        self.lex_forms: dict[str, tuple[str, ...]] = {}  # key -> the forms of its lexicon entry
        self.lex_defs: set[tuple[str, str]] = set()  # (short key, long key) the lexicon gives
        self._read_definitions()
        self._read_lexicon(lexicon)
        tick("definitions")
        self.short = set(self.defs)
        self._keys: dict[str, str] = {}
        self._words: dict[str, list[str]] = {}
        self.key = self._key  # from here on "VLA models" is "VLA" when VLA is a known name
        # keys as read, but "VLA models" is "VLA" now that VLA is known to be a name
        changed = {
            t
            for t in {f.text for p in papers for f in p.forms if " " in f.text or "-" in f.text}
            if self._key(t) != entity_key(t)
        }
        self.pkeys = [
            [self._key(f.text) for f in p.forms] if any(f.text in changed for f in p.forms) else ks
            for p, ks in zip(papers, self.keys0, strict=True)
        ]
        self._expansions()
        self._senses()
        tick("senses")
        self._join_spelt_out()
        tick("spelt-out names")

    def _key(self, form: str) -> str:
        k = self._keys.get(form)
        if k is None:
            k = entity_key(form)
            ws = form.split()
            if len(ws) == 2 and ws[1] in _DATA_HEADS and ws[0][:1].isupper():
                # a word before a lower-case data noun is a name if it is a short form
                # ("ImageNet dataset", "PubMed database") or papers write it with a capital
                # ("Objaverse dataset", "Wikipedia corpus"; not "Synthetic dataset"); a
                # capitalised noun is the name's own ("Common Corpus")
                one = entity_key(ws[0])
                dropped = is_short_form(ws[0]) or one in self.capitalised
            elif ws and is_short_form(ws[0]):  # "VLA models" is VLA
                one, dropped = head_free(form, 1)
            else:
                one, dropped = k, False
            if dropped and one != k and (one in self.short or one in self.lex_name or one in self.used):
                k = one
            self._keys[form] = k
        return k

    # ------------------------------------------------------------------ evidence
    def _define(self, i: int, short: str, s: str, long: str, lk: str) -> None:
        self.surface_of[lk][long] += 1
        if s in self.local[i]:
            return  # one definition of an acronym per paper
        self.local[i][s] = lk
        d = self.defs[s].setdefault(lk, [0.0, Counter(), []])
        d[0] += 1
        d[1][casing(short)] += 1
        d[2].append(i)

    def _read_definitions(self) -> None:
        """Acronyms each paper defines: by a long form the recognizer gives, else by one of
        the paper's own names it abbreviates ("IEA, a conversational Image Editing Agent")."""
        key = self.key
        self.matched = 0
        used: Counter = Counter()  # key -> papers using it
        keys0 = self.keys0 = [[key(f.text) for f in p.forms] for p in self.papers]
        # and the keys some paper writes with a capital: names, not words ("Objaverse", not "synthetic")
        capitalised: set[str] = set()
        for p, ks in zip(self.papers, keys0, strict=True):
            used.update(set(ks))
            capitalised.update(k for f, k in zip(p.forms, ks, strict=True) if f.text[:1].isupper())
        self.used = used
        self.capitalised = capitalised
        weak: list[tuple[int, str, str, str, str]] = []
        for i, p in enumerate(self.papers):
            shorts: dict[str, str] = {}
            longs: dict[str, dict[str, str]] = {}  # first letter -> key -> form
            starts: dict[str, set[str]] = {}
            for f, k in zip(p.forms, keys0[i], strict=True):
                if f.long_form:
                    long = fit_long_form(f.text, f.long_form, (g.text for g in p.forms), p.context)
                    lk = key(long)
                    if k and lk and k != lk:
                        if _one_word_short(f.text) and _defines(f.text, long):
                            self._define(i, f.text, k, long, lk)
                        else:
                            weak.append((i, f.text, k, lk, long))
                        if long != f.long_form and f.long_form.lower() in long.lower():
                            # the recognizer's cut-off long form is the fitted one here
                            self.remap[i][key(f.long_form)] = (lk, long)
                if is_short_form(f.text):
                    shorts.setdefault(k, f.text)
                elif " " in f.text or "-" in f.text:
                    longs.setdefault(f.text[:1].lower(), {}).setdefault(k, f.text)
            if not shorts or not longs:
                continue
            taken = set(self.local[i].values())
            for s, short in shorts.items():
                if s in self.local[i] or not s:
                    continue
                first = next((c.lower() for c in short if c.isalnum()), "")
                if first not in longs:
                    continue
                capitals = {c.lower() for c in short if c.isupper() or c.isdigit()}
                n = sum(c.isalnum() for c in short)
                found = []
                for lk, long in longs[first].items():
                    # cheap tests first: its capitals among the long form's initials; not
                    # "MVEB+" for the long form of "MVEB", nor "InternVL2" for "InternVL2-26B";
                    # nor a name other papers write too: "ViLaM: A Vision-Language Model" says
                    # what kind of thing ViLaM is, it does not spell out a name of its own (and
                    # where this corpus is too small to tell, papers outside it say so, for a
                    # name only this paper writes: "BiLSTM" is others' too)
                    if lk in taken or long.count(" ") + long.count("-") >= 2 * n:
                        continue
                    if (used[lk] > 1 or (self.shared(long) and not self.shared(short))) and not _initialism(
                        short, long
                    ):
                        continue
                    ini = starts.get(lk)
                    if ini is None:
                        ini = starts[lk] = {w[:1].lower() for w in _SPLIT_WORDS.split(long) if w} | {
                            c.lower() for c in long if c.isupper()
                        }
                    if (
                        capitals <= ini
                        and not lk.startswith(s.rstrip("+"))
                        and not _name_like(long)
                        and abbreviates(short, long)
                    ):
                        found.append(lk)
                if len(found) > 1:  # "Multi-Agent Reinforcement Learning" over "multi-agent RL"
                    found = [lk for lk in found if _initialism(short, longs[first][lk])]
                if len(found) == 1:
                    self._define(i, short, s, longs[first][found[0]], found[0])
                    taken.add(found[0])
                    self.matched += 1
        # the same pair written "long (SHORT)" by several papers defines the acronym for the
        # corpus where each word of the long form gives its letters, if not at word starts:
        # 28 abstracts of 10,000 write "sparse autoencoders (SAEs)", whose E starts no word
        # (and one "Spatial Attention Enhancement (SAE)", which took every SAE before)
        papers_of: dict[tuple[str, str], set[int]] = defaultdict(set)
        for i, short, k, lk, long in weak:
            if _one_word_short(short) and abbreviates(short, long, strict=False, anywhere=True):
                papers_of[(k, lk)].add(i)
        agreed = {pair for pair, ps in papers_of.items() if len(ps) >= WEAK_AGREED}
        for i, short, k, lk, long in weak:
            if (k, lk) in agreed:
                self._define(i, short, k, long, lk)
        # a name the paper shortens ("Keye-VL" for its "Kwai Keye-VL"), or a long form that
        # does not spell the acronym out, holds in this paper only -- and only for a form no
        # other paper uses ("BERT" is not "Breaking BERT" because a title says so)
        for i, _, k, lk, long in weak:
            if (k, lk) in agreed:
                continue
            if used[k] <= 1 and k not in self.defs:
                self.remap[i].setdefault(k, (lk, None))
                self.surface_of[lk][long] += 1
            elif k not in self.defs and lk not in self.remap[i]:
                # a name other papers use too, that no paper defines, keeps its own entity,
                # and the paper's own bracketed long form goes with it here: "sparse
                # autoencoder (SAE)" is one thing in that paper, whatever "SAE" is elsewhere
                # (of such pairs on the annotated abstracts, 176 are one annotated entity, 1 is two)
                self.remap[i][lk] = (k, None)

    def _read_lexicon(self, lexicon: Iterable) -> None:
        key = self.key
        for order, entry in enumerate(lexicon):
            forms = [entry.name, *entry.aliases]
            longs = [f for f in forms if not is_short_form(f)]
            joined = longs if longs else forms
            for f in forms:
                self.lex_forms.setdefault(key(f), tuple(forms))
            for f in joined:
                k = key(f)
                self.uf.union(key(joined[0]), k)
                self.lex_name.setdefault(k, (order, entry.name, entry.type))
                self.surface_of[k][f] += 0  # known as a written form, not counted
                if not longs:
                    self.lex_plain.add(k)
            if not longs:
                continue
            lk = key(longs[0])
            for f in forms:
                s = key(f)
                if f in longs or s == lk or not s:
                    continue
                d = self.defs[s].setdefault(lk, [0.0, Counter(), []])
                d[0] += LEXICON_WEIGHT
                d[1][casing(f)] += LEXICON_WEIGHT
                self.lex_defs.add((s, lk))

    def _expansions(self) -> None:
        """Acronyms with one clear meaning, to spell out inside longer names."""
        self.expand: dict[str, str] = {}
        for s, longs in self.defs.items():
            total = sum(d[0] for d in longs.values())
            best = min(longs, key=lambda lk: (-longs[lk][0], lk))
            if longs[best][0] / total >= EXPAND_SHARE:
                self.expand[s] = best

    def spelt_out(self, form: str, local: dict[str, str] | None = None) -> str:
        """The key of a written form with the acronyms inside it spelt out (as ``local``
        defines them, else as the corpus does when it gives them one clear meaning)."""
        ws = self._words.get(form)
        if ws is None:
            ws = self._words[form] = [w.lower() for w in words(form)]
        if len(ws) < 2:
            return self.key(form)
        local = local or {}
        if not any(w in self.expand or w in local for w in ws):
            return self.key(form)
        return "".join(local.get(w) or self.expand.get(w, w) for w in ws) + "+" * (len(form) - len(form.rstrip("+")))

    def _first_word(self, long_key: str) -> str:
        forms = self.surface_of.get(long_key)
        if not forms:
            return ""
        ws = words(_most_frequent(forms))
        return ws[0].lower() if ws else ""

    def _senses(self) -> None:
        self.senses: dict[str, list[Sense]] = {}
        self.sense_of_long: dict[tuple[str, str], Sense] = {}
        self.established: set[str] = set()
        for s in sorted(self.defs):
            longs = self.defs[s]
            expanded = {}
            for lk in longs:
                forms = self.surface_of.get(lk)
                expanded[lk] = self.spelt_out(min(forms, key=lambda f: (-forms[f], f))) if forms else lk
            groups = group_senses(
                [(lk, d[0]) for lk, d in longs.items()], expanded, {lk: self._first_word(lk) for lk in longs}
            )
            senses = []
            for g in groups:
                sense = Sense(keys=g)
                for lk in g:
                    w, cas, papers = longs[lk]
                    sense.weight += w
                    sense.casings.update(cas)
                    sense.papers.extend(papers)
                    sense.lexicon = sense.lexicon or (s, lk) in self.lex_defs
                    self.uf.union(g[0], lk)
                    if expanded[lk] != lk:
                        self.uf.union(lk, expanded[lk])
                    self.sense_of_long[(s, lk)] = sense
                sense.papers.sort()
                senses.append(sense)
            senses.sort(key=lambda x: (-x.weight, x.key))
            self.senses[s] = senses
            if s in self.lex_plain:
                # kg's lexicon knows the bare name ("BERT", "GPT-4o"): that thing is its main
                # sense, and its bare uses are that thing
                self.established.add(s)
                self.uf.union(s, senses[0].key)
            elif not any(x.lexicon for x in senses) and sum(
                len(x.papers) for x in senses
            ) < ESTABLISHED * self.used.get(s, 0):
                # a name hundreds of papers use bare and one or two define ("GPT-4o") is that
                # name: its bare uses are one entity with its main sense, never split by topic
                self.established.add(s)
                self.uf.union(s, senses[0].key)

    def _join_spelt_out(self) -> None:
        """Names with an acronym inside are the names with it spelt out ("Multimodal LLMs",
        "multi-modal TTA" in a paper that defines TTA)."""
        seen: set[str] = set()
        for i, p in enumerate(self.papers):
            local = self.local[i]
            for f, k in zip(p.forms, self.pkeys[i], strict=True):
                text = f.text
                if " " not in text and "-" not in text:
                    continue
                if text in seen and (not local or not any(w in local for w in self._words.get(text, ()))):
                    # seen with the corpus's expansions; again only for this paper's own
                    continue
                seen.add(text)
                if k in self.short or not _INNER_ACRONYM.search(text):
                    continue
                e = self.spelt_out(f.text, local)
                if e != k:
                    self.uf.union(k, e)

    # ------------------------------------------------------------------ each form to a node
    def assign(self) -> tuple[list[list[str]], Counter]:
        short = self.short
        nodes: list[list[str]] = []
        pending: dict[tuple[int, str, str], list[tuple[int, int]]] = defaultdict(list)
        decisions: Counter = Counter()
        self._named: dict[tuple[int, str], Sense] = {}  # a rarer sense the paper names by its long form
        for i, p in enumerate(self.papers):
            local = self.local[i]
            named: dict[str, Sense] = {}
            keys = self.pkeys[i]
            if self.remap[i]:
                keys = [self.remap[i].get(k, (k,))[0] for k in keys]
            if any(k in short for k in keys):
                for k in keys:
                    if k in short:
                        continue
                    for s in self._shorts_with_long(k):
                        named.setdefault(s, self.sense_of_long[(s, k)])
            row = []
            for j, (f, k) in enumerate(zip(p.forms, keys, strict=True)):
                if k not in short:
                    row.append(k)
                    continue
                if k in local:
                    row.append(self.sense_of_long[(k, local[k])].key)
                    decisions["local"] += 1
                elif k in named and (named[k] is self.senses[k][0] or len(self.senses[k]) == 1):
                    row.append(named[k].key)
                    decisions["named"] += 1
                elif k in self.established:
                    row.append(k)
                    decisions["established"] += 1
                else:
                    c = casing(f.text)
                    senses = self.senses[k]
                    if k in named or needs_context(senses, c, self.params):
                        pending[(i, k, c)].append((i, j))
                        if k in named:
                            self._named[(i, k)] = named[k]
                        row.append("")
                    else:
                        row.append(senses[0].key)
                        decisions["dominant"] += 1
            nodes.append(row)
        if pending:
            self._decide(pending, nodes, decisions)
        return nodes, decisions

    def _shorts_with_long(self, long_key: str) -> list[str]:
        if not hasattr(self, "_by_long"):
            self._by_long: dict[str, list[str]] = defaultdict(list)
            for s, lk in self.sense_of_long:
                self._by_long[lk].append(s)
        return self._by_long.get(long_key, [])

    def _decide(self, pending, nodes, decisions) -> None:
        ctx = Contexts([p.context for p in self.papers])
        involved: set[int] = set()
        for i, k, _c in pending:
            involved.add(i)
            for sense in self.senses[k]:
                involved.update(sense.papers[: ctx.max_papers])
        ctx.prepare(sorted(involved))
        for (i, k, c), where in sorted(pending.items()):
            senses = self.senses[k]
            named = self._named.get((i, k))
            choice = choose_sense(
                senses,
                c,
                lambda sense, i=i: ctx.similarity(i, sense),
                self.params,
                named=senses.index(named) if named is not None else None,
            )
            decisions[choice.reason] += len(where)
            node = senses[choice.sense].key if choice.sense is not None else k
            for a, b in where:
                nodes[a][b] = node

    # ------------------------------------------------------------------ entities
    def entities(
        self, nodes: list[list[str]]
    ) -> tuple[dict[str, str], dict[str, Entity], dict[str, str], dict[str, str]]:
        uf, key = self.uf, self.key
        # plain dicts, not Counters: there are hundreds of thousands of entities
        surfaces: dict[str, dict[str, int]] = {}
        types: dict[str, dict[str, float]] = {}
        papers: dict[str, list[str]] = {}
        key_votes: dict[str, dict[str, int]] = {}
        borrowed: dict[str, Counter] = defaultdict(Counter)
        root_of: dict[str, str] = {}
        for i, (p, row) in enumerate(zip(self.papers, nodes, strict=True)):
            remap = self.remap[i]
            for f, node, k in zip(p.forms, row, self.pkeys[i], strict=True):
                r = root_of.get(node)
                if r is None:
                    r = root_of[node] = uf.find(node)
                text, lent = f.text, False
                if remap and k in remap:
                    shown = remap[k][1]
                    text, lent = (shown, False) if shown else (f.text, True)
                    k = key(text)
                d = surfaces.get(r)
                if d is None:
                    d = surfaces[r] = {}
                    types[r] = {}
                    papers[r] = []
                d[text] = d.get(text, 0) + 1
                if lent:  # a form another entity goes by, meaning this one in this paper only
                    borrowed[r][text] += 1
                elif k != node:  # an acronym resolved to a sense: its key may mean several entities
                    v = key_votes.get(k)
                    if v is None:
                        key_votes[k] = {r: 1}
                    else:
                        v[r] = v.get(r, 0) + 1
                t = types[r]
                t[f.type] = t.get(f.type, 0.0) + f.confidence
                ps = papers[r]
                if not ps or ps[-1] != p.id:
                    ps.append(p.id)
        ambiguous = {s for s, senses in self.senses.items() if len(senses) > 1}
        lexicon: dict[str, tuple[int, str, str]] = {}  # root -> kg's lexicon entry of its keys
        for k, lex in self.lex_name.items():
            r = uf.find(k)
            if r in surfaces and (r not in lexicon or lex < lexicon[r]):
                lexicon[r] = lex
        long_keys: dict[str, list[str]] = defaultdict(list)  # root -> its keys that definitions spell out
        for k in self.surface_of:
            r = uf.find(k)
            if r in surfaces:
                long_keys[r].append(k)
        for r, lex in lexicon.items():
            # kg's lexicon is a vote for method or data; dataset or benchmark is for use to decide
            t = types[r]
            kinds = (lex[2],) if lex[2] == "METHOD" else ("DATASET", "BENCHMARK")
            for kind in kinds:
                t[kind] = t.get(kind, 0.0) + LEXICON_WEIGHT / len(kinds)
        votes = {r: _vote(types[r]) for r in surfaces}
        # the entity a key names: its own node's for a plain name, the most voted for an acronym
        root_of_key = {k: r for k, r in root_of.items() if k not in self.short}
        root_of_key.update(
            (k, next(iter(v)) if len(v) == 1 else min(v, key=lambda r: (-v[r], r))) for k, v in key_votes.items()
        )
        info = {}
        for r, forms in surfaces.items():
            entry = lexicon.get(r)
            type_ = votes[r] if entry else self._family_type(r, forms, votes, lexicon, root_of_key, types[r])
            if entry:
                name = id_name = entry[1]
            elif len(forms) == 1 and r not in borrowed and r not in long_keys:
                name = id_name = next(iter(forms))  # most entities: one written form
            else:
                lent_forms = borrowed.get(r)
                own = (
                    {s: n - lent_forms.get(s, 0) for s, n in forms.items() if n > lent_forms.get(s, 0)}
                    if lent_forms
                    else forms
                )
                longs = Counter({s: n for s, n in own.items() if key(s) not in self.short})
                for k in long_keys.get(r, ()):  # long forms given in definitions name the entity too
                    longs.update(self.surface_of[k])
                longs = Counter({s: n for s, n in longs.items() if n})
                # a sense of an acronym with several is named by its long form, not the acronym
                plain = longs if any(key(s) in ambiguous for s in own) else own
                name = _name_of(plain or longs or forms)
                id_name = _name_of(longs or own or forms)
            info[r] = (name, id_name, type_, entry is not None)
        ids = self._ids(info, surfaces, papers)
        entities = {}
        for r, forms in surfaces.items():
            name, _id_name, type_, _lex = info[r]
            if len(forms) == 1:
                aliases = () if name in forms else tuple(forms)
            else:
                aliases = tuple(sorted((s for s in forms if s != name), key=lambda s: (-forms[s], s)))
            entities[ids[r]] = _entity(ids[r], name, type_, aliases, tuple(papers[r]))
        entity_of_key = {k: ids[r] for k, r in root_of_key.items()}
        return ids, entities, entity_of_key, root_of

    def _family_type(
        self,
        r: str,
        forms: Mapping[str, int],
        votes: dict,
        lexicon: dict,
        root_of_key: dict,
        types: Mapping[str, float],
    ) -> str:
        """A variant of something kg's lexicon knows is the same kind of thing: a model
        ("Llama-3.2-1B", typed a benchmark by some papers) or data ("LAION-5B")."""
        top = forms if len(forms) <= 3 else sorted(forms, key=lambda f: (-forms[f], f))[:3]
        for form in top:
            for k, _base, _bare in _candidates(form):
                if k in self.lex_name:
                    known = self.lex_name[k][2]
                else:
                    other = root_of_key.get(k)
                    if other is None or other == r or not lexicon.get(other):
                        continue
                    known = votes[other]
                kind = coarse_type(known)
                if kind == coarse_type(votes[r]):
                    return votes[r]
                if kind == "METHOD":
                    return "METHOD"
                data = Counter({t: w for t, w in types.items() if t != "METHOD"})
                return _vote(data) if data else known
        return votes[r]

    @staticmethod
    def _ids(info: dict, surfaces: Mapping[str, Mapping[str, int]], papers: dict[str, list[str]]) -> dict[str, str]:
        """``type:slug`` ids; when two entities want one, the lexicon's, then the one in more
        papers keeps it and the other is told apart by case, another of its names, or at
        last a short hash of its key (never a counter)."""
        taken: set[str] = set()
        ids = {}
        for r in sorted(info, key=lambda r: (not info[r][3], -len(papers[r]), r)):
            name, id_name, type_, _lex = info[r]
            prefix = f"{type_.lower()}:"
            eid = prefix + slugify(id_name)
            if eid in taken:
                forms = surfaces[r]
                tries = [slugify(id_name, keep_case=True)]
                tries += [slugify(s) for s in sorted(forms, key=lambda s: (-forms[s], s))[:5]]
                eid = next(
                    (prefix + t for t in tries if prefix + t not in taken),
                    f"{prefix}{slugify(id_name)}-{hashlib.sha1(r.encode()).hexdigest()[:6]}",
                )
            taken.add(eid)
            ids[r] = eid
        return ids


def resolve(
    papers: Sequence[PaperForms],
    *,
    lexicon: Iterable = (),
    params: SenseParams = SenseParams(),
    shared: Callable[[str], bool] | None = None,
) -> Resolution:
    """Resolve every form of every paper to an entity (see :mod:`kg.resolve`).

    ``lexicon`` holds entries with ``name``, ``type`` and ``aliases`` (kg's lexicon: names
    that are known to be one thing). ``shared(form)`` says whether papers outside this corpus
    write a form as a name too (kg passes its arXiv frequency table): such a form, in a paper
    that never brackets the acronym, does not spell out a name only that paper writes unless
    it gives its initials ("ViLaM: A Vision-Language Model"), as for a form other papers of
    the corpus use.

    >>> r = resolve([PaperForms("p1", (Form("Low-Rank Adaptation", "METHOD"),
    ...                                Form("LoRA", "METHOD", long_form="Low-Rank Adaptation"))),
    ...              PaperForms("p2", (Form("LoRA", "METHOD"), Form("Llama-3.1-8B", "METHOD"), Form("Llama 3.1", "METHOD")))])
    >>> r.entity_ids
    (('method:low-rank-adaptation', 'method:low-rank-adaptation'), ('method:low-rank-adaptation', 'method:llama-3.1-8b', 'method:llama-3.1'))
    >>> r.entities["method:low-rank-adaptation"].name, r.entities["method:llama-3.1-8b"].family
    ('LoRA', 'method:llama-3.1')
    """
    papers = list(papers)
    clock = [("start", time.perf_counter())]
    rs = _Resolver(papers, lexicon, params, clock, shared)
    nodes, decisions = rs.assign()
    clock.append(("forms to entities", time.perf_counter()))
    ids, entities, entity_of_key, root_of = rs.entities(nodes)
    clock.append(("names, types, ids", time.perf_counter()))
    # families: a variant points at the nearest existing entity its name is a variant of
    by_type = {eid: coarse_type(e.type) for eid, e in entities.items()}

    def family_entity(k: str, base: str, bare: bool) -> str | None:
        eid = entity_of_key.get(k)
        if eid is None:
            return None
        e = entities[eid]
        if not any(ch.isupper() or ch.isdigit() for ch in e.name):
            return None  # a concept ("transformer") is no model family
        known = rs.lex_forms.get(k, ())
        if not any(f.startswith(base) for f in (e.name, *e.aliases[:20], *known)):
            return None  # written otherwise: "Video-XL" is no variant of "vidEo", "DB2" of "dB"
        if bare is None and not known:
            return None
        if (k in rs.short or bare) and not known and len(e.papers) < FAMILY_MIN_PAPERS * (1 + bool(bare)):
            return None  # "PSD2" is not a variant of a rare meaning of "PSD", nor "USD 1" of "USD"
        if bare and not any(f.startswith(base) for f in (e.name, *known)):
            return None  # "GS-3I" is no Gaussian Splatting: an acronym and a number name a family by it
        return eid

    family: dict[str, str] = {}
    for eid, e in list(entities.items()):
        compatible = lambda other, t=by_type[eid]: by_type.get(other) == t  # noqa: E731
        fam = family_of([e.name], family_entity, own=eid, compatible=compatible)
        if fam is None and e.aliases and not is_short_form(e.name):
            # spellings of its name ("Llama 3.1 8B Instruct"), not other names it has
            start = normalize(e.name)[:3]
            names = [a for a in e.aliases[:5] if any(ch.isdigit() for ch in a) and normalize(a)[:3] == start]
            fam = family_of(names, family_entity, own=eid, compatible=compatible) if names else None
        up = fam
        while up is not None and up != eid:  # never a cycle
            up = family.get(up)
        if fam and up is None:
            family[eid] = fam
            entities[eid] = _entity(e.id, e.name, e.type, e.aliases, e.papers, fam)
    root_ids = [tuple(ids[root_of[n]] for n in row) for row in nodes]
    clock.append(("families", time.perf_counter()))
    timings = {b: round(t1 - t0, 3) for (_a, t0), (b, t1) in pairwise(clock)}
    logger.info(
        "resolved %d forms into %d entities in %.1f s (%s; acronyms: %s)",
        sum(len(r) for r in root_ids),
        len(entities),
        clock[-1][1] - clock[0][1],
        ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()),
        ", ".join(f"{k} {v}" for k, v in sorted(decisions.items())),
    )
    return Resolution(tuple(root_ids), entities, decisions, timings)
