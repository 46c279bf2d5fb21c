"""Acronyms and their meanings (*senses*) across a corpus, and which one a bare acronym means.

A paper defines an acronym by writing its long form ("Low-Rank Adaptation (LoRA)"). Across a
corpus one acronym collects long forms; those that are spellings of one name form one
*sense* (:func:`same_sense`: equal keys once the acronyms inside them are spelt out, or
nearly equal keys starting with the same word), the others are different senses ("SAM":
Segment Anything Model, Sharpness-Aware Minimization).

A bare acronym in a paper that does not define it means (:func:`choose_sense`) the sense
its paper names by long form, else the corpus's most frequent sense -- weighted by the
paper's topical context (:class:`Contexts`) where two senses compete -- else, when no
sense is clearly preferred, or the acronym is written in a case its sense is not
("LoRa", the radio, for LoRA) and the paper's topic is far from the sense's, it stays its
own entity.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

__all__ = [
    "Sense",
    "abbreviates",
    "casing_suspect",
    "needs_context",
    "fit_long_form",
    "same_sense",
    "group_senses",
    "context_words",
    "Contexts",
    "choose_sense",
    "Choice",
    "SenseParams",
]


@dataclass
class Sense:
    """One meaning of an acronym: the keys of its long forms and the evidence for it."""

    keys: list[str]
    #: defining papers, plus a lexicon weight when kg's lexicon lists it
    weight: float = 0.0
    #: how the acronym was written when defined with this meaning ("LoRA": 40, "LoRa": 2)
    casings: Counter = field(default_factory=Counter)
    #: indexes of the papers that define it (in corpus order)
    papers: list[int] = field(default_factory=list)
    lexicon: bool = False

    @property
    def key(self) -> str:
        return self.keys[0]

    def casing_share(self, casing: str) -> float:
        total = sum(self.casings.values())
        return self.casings.get(casing, 0) / total if total else 0.0


_LONG_WORD = re.compile(r"[^\s\-/]+")
_COMPOUND = re.compile(r"[^\s/]+")
_FUNCTION_WORDS = frozenset("a an and as at by for from in into of on or the to via with".split())
#: words an acronym may leave out ("Language-based Access Control Engine", LACE)
_SKIPPABLE = _FUNCTION_WORDS | frozenset(
    "based driven aware guided oriented level like wise specific style inspired centric agnostic".split()
)


_DIGIT_WORDS = {"2": "to", "4": "for"}


def _near_start(text: str, i: int, within: int = 3) -> bool:
    """Whether ``text[i]`` is among the first letters of its word ("DEtection TRansformer",
    "InfRared"), not deep inside it ("segmentAtion" is no A of SAM)."""
    j = i
    while j > 0 and text[j - 1] not in " -/" and i - j < within + 1:
        j -= 1
    return i - j <= within or _word_start(text, i)


def _word_start(text: str, i: int) -> bool:
    """Whether ``text[i]`` starts a word (or is a capital inside an acronym: "GRU")."""
    if i == 0 or text[i - 1] in " -/":
        m = _LONG_WORD.match(text, i)
        return not (m and m.group(0).lower() in _FUNCTION_WORDS and text[i].islower())
    c, p = text[i], text[i - 1]
    return c.isupper() and (p.islower() or p.isdigit() or p.isupper())  # "BiLSTM", "3D", "GRU"


@lru_cache(maxsize=1 << 18)
def abbreviates(short: str, long: str, *, strict: bool = True, anywhere: bool = False) -> bool:
    """Whether ``short`` abbreviates ``long`` (:func:`_initials_match`, or a word-like
    acronym such as "TACO" for "Terminal Agent Compression").

    ``strict=False`` lets capitals come from the first letters inside words ("DETR" for
    "DEtection TRansformer"): enough when the paper writes "long (SHORT)", not to join two
    names of a paper that no parenthesis relates. ``anywhere=True`` lets them come from
    anywhere inside a word ("sparse autoEncoders", SAEs): enough when several papers write
    the same "long (SHORT)".

    >>> abbreviates("SAEs", "sparse autoencoders", strict=False), abbreviates("SAEs", "sparse autoencoders", strict=False, anywhere=True)
    (False, True)
    >>> abbreviates("TACO", "Terminal Agent Compression"), abbreviates("LLM", "Language Model")
    (True, False)
    >>> abbreviates("DETR", "Detection Transformer"), abbreviates("DETR", "Detection Transformer", strict=False)
    (False, True)
    >>> abbreviates("SAM", "segmentation model", strict=False)
    False
    >>> abbreviates("T2I", "text-to-image", strict=False), abbreviates("BERT", "binary label and finetune four pretrained language", strict=False)
    (True, False)
    """
    return _initials_match(short, long, strict=strict, anywhere=anywhere) or _backronym(short, long)


def _initials_match(short: str, long: str, *, strict: bool = True, anywhere: bool = False) -> bool:
    """Whether ``short`` abbreviates ``long``: its letters and digits are found in ``long``
    from right to left (after Schwartz & Hearst), the first one starting ``long``, its
    capitals and digits each starting a word, and every word of ``long`` but function words
    giving at least one of them.

    Used within one paper, where both forms are names the paper uses ("we propose IEA, a
    conversational Image Editing Agent"), to join what no parenthesis defines.

    >>> _initials_match("IEA", "Image Editing Agent"), _initials_match("OMFA", "One Model For All")
    (True, True)
    >>> _initials_match("3DGS", "3D Gaussian Splatting"), _initials_match("SSL", "self-supervised learning")
    (True, True)
    >>> _initials_match("CoT", "Chain-of-Events"), _initials_match("VGGT", "vision-language-action")
    (False, False)
    >>> _initials_match("GAFR-Net", "Graph Attention and Fuzzy-Rule Network"), _initials_match("Bi-GRU", "Bidirectional GRU")
    (True, True)
    >>> _initials_match("AdaRank", "Adaptive Rank Pruning"), _initials_match("SGD", "synchronous stochastic gradient descent")
    (False, False)
    >>> _initials_match("CLIP", "Contrastive Language-Image Pre-training"), _initials_match("LM", "Large Vision-Language Model")
    (True, False)
    """
    chars = [c for c in short if c.isalnum()]
    if len(chars) < 2 or not long or long[0].lower() != chars[0].lower():
        return False
    low = long.lower()
    end = len(long)  # search in long[:end]
    hits = []
    for k in range(len(chars) - 1, -1, -1):
        c = chars[k].lower()
        initial = k == 0 or (strict and (chars[k].isupper() or chars[k].isdigit()))
        word = _DIGIT_WORDS.get(c) if not strict else None
        i = low.rfind(c, 0, end)
        # a capital from inside a word: near its start (anywhere in it with ``anywhere``)
        inside = not strict and not anywhere and chars[k].isupper()
        while i >= 0 and ((initial and not _word_start(long, i)) or (inside and not _near_start(long, i))):
            i = low.rfind(c, 0, i)
        if word:  # "T2I": the 2 is "to"
            j = low.rfind(word, 0, end)
            while j > 0 and long[j - 1] not in " -/":
                j = low.rfind(word, 0, j)
            i = max(i, j)
        if i < 0:
            return False
        hits.append(i)
        end = i
    if hits[-1] != 0:
        return False
    words = [m for m in _LONG_WORD.finditer(long) if m.group(0).lower() not in _FUNCTION_WORDS]
    if len(words) < 2:
        return False
    # a hyphenated compound is one word here: "Pre-training" gives the P of "CLIP"
    return all(
        any(w.start() <= h < w.end() for h in hits)
        for w in _COMPOUND.finditer(long)
        if w.group(0).lower() not in _SKIPPABLE
    )


def _backronym(short: str, long: str) -> bool:
    """A word-like acronym whose letters are not all word initials ("TACO" for "Terminal
    Agent Compression"): all capitals, four letters or more with a vowel, and the initials of
    the long form's words, in order, are all but at most one of its letters (never "SSGD"
    for "Stochastic Gradient Descent")."""
    if len(short) < 4 or not short.isalpha() or not short.isupper() or not any(c in "AEIOU" for c in short):
        return False
    initials = [m.group(0)[0].upper() for m in _LONG_WORD.finditer(long) if m.group(0).lower() not in _FUNCTION_WORDS]
    if len(initials) < max(2, len(short) - 1) or initials[0] != short[0]:
        return False
    it = iter(short)
    return all(c in it for c in initials)


_HEADS = frozenset(
    """framework frameworks model models method methods approach approaches module modules network
networks architecture architectures system systems technique techniques algorithm algorithms pipeline pipelines
mechanism mechanisms scheme schemes paradigm paradigms strategy strategies benchmark benchmarks dataset datasets
""".split()
)


def fit_long_form(short: str, long: str, others: Iterable[str] = (), text: str = "") -> str:
    """The long form a definition gives ``short``, fitted to it: when ``long`` does not
    spell the acronym out word by word, a name of the same paper containing it that does
    ("Context Consistency Learning" where the detector read "Consistency Learning (CCL)"),
    else ``long`` with the words before it in the paper's ``text`` that complete it
    ("Synchronous Stochastic Gradient Descent (SSGD)"), else ``long`` without trailing head
    words the acronym leaves out ("Semantic-Driven Visual Prompt Tuning framework (SDVPT)").

    >>> fit_long_form("CCL", "Consistency Learning", ["Context Consistency Learning", "CCL"])
    'Context Consistency Learning'
    >>> fit_long_form("SSGD", "Stochastic Gradient Descent", text="Synchronous Stochastic Gradient Descent (SSGD) is slow.")
    'Synchronous Stochastic Gradient Descent'
    >>> fit_long_form("SDVPT", "Semantic-Driven Visual Prompt Tuning framework")
    'Semantic-Driven Visual Prompt Tuning'
    >>> fit_long_form("LLM", "multi-Large Language Model")
    'Large Language Model'
    """
    if abbreviates(short, long):
        return long
    low = long.lower()
    for other in others:
        if other != long and low in other.lower() and abbreviates(short, other):
            return other
    at = text.find(long) if text else -1
    while at > 0:
        before = re.findall(r"[\w\-]+", text[max(0, at - 80) : at].split(".")[-1].split(",")[-1])
        for n in range(1, min(3, len(before)) + 1):
            cand = " ".join(before[-n:]) + " " + long
            if abbreviates(short, cand):
                return cand
        at = text.find(long, at + 1)
    ws = long.split()
    while len(ws) > 2 and ws[-1].lower() in _HEADS:
        ws = ws[:-1]
        if abbreviates(short, " ".join(ws)):
            return " ".join(ws)
    if long[:1].lower() != short[:1].lower():  # "multi-Large Language Model (LLM)"
        for m in re.finditer(r"[\s\-]+", long):
            rest = long[m.end() :]
            if abbreviates(short, rest):
                return rest
    return long


_NUMBERS = re.compile(r"\d+(?:\.\d+)*")


def same_sense(a: str, b: str, first_a: str = "", first_b: str = "", *, ratio: float = 0.8) -> bool:
    """Whether two long-form keys of one acronym spell one name: equal, or -- when their
    first words share their first three letters -- one starts with ``ratio`` of the other
    or they are at least ``ratio`` alike (difflib).

    >>> same_sense("visiontransformer", "visualtransformer", "vision", "visual")
    True
    >>> same_sense("graphconvolutionalnetwork", "gatedconvolutionalnetwork", "graph", "gated")
    False
    >>> same_sense("longrange", "lowrankadaptation", "long", "low"), same_sense("gpt4o", "gpt4.1", "gpt", "gpt")
    (False, False)
    """
    if a == b:
        return True
    if first_a and first_b and first_a[:3] != first_b[:3]:
        return False
    if _NUMBERS.findall(a) != _NUMBERS.findall(b):
        return False  # versions: "GPT-4o" is not "GPT-4.1"
    shorter = min(len(a), len(b))
    prefix = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    if prefix >= ratio * shorter:  # "lowrankadapter" for "lowrankadaptation"
        return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= ratio


def group_senses(
    longs: Sequence[tuple[str, float]], expanded: dict[str, str], first_word: dict[str, str]
) -> list[list[str]]:
    """Group the long-form keys of one acronym into senses, heaviest first.

    ``longs`` are ``(key, weight)``; ``expanded`` maps a key to its key with inner acronyms
    spelt out ("multimodalllm" -> "multimodallargelanguagemodel"); ``first_word`` gives the
    key of its first word. Each key joins the first earlier sense holding a key it is
    :func:`same_sense` with.

    >>> group_senses([("lowrankadaptation", 9), ("longrange", 2), ("lowrankadapter", 1)], {},
    ...              {"lowrankadaptation": "low", "longrange": "long", "lowrankadapter": "low"})
    [['lowrankadaptation', 'lowrankadapter'], ['longrange']]
    """
    groups: list[list[str]] = []
    for key, _w in sorted(longs, key=lambda kw: (-kw[1], kw[0])):
        ek, fk = expanded.get(key, key), first_word.get(key, "")
        for g in groups:
            if any(same_sense(ek, expanded.get(o, o), fk, first_word.get(o, "")) for o in g):
                g.append(key)
                break
        else:
            groups.append([key])
    return groups


# ---------------------------------------------------------------------------- topical context
_CONTEXT_WORD = re.compile(
    r"(?<![a-z0-9-])[a-z][a-z0-9]{3,}(?:-[a-z0-9]+)*|(?<![a-z0-9-])[a-z][a-z0-9]{0,2}(?:-[a-z0-9]+)+"
)
_STOP = frozenset(
    """
about above across after again against also among analysis approach approaches based because been before being
below between both cannot could data demonstrate demonstrates different does doing during each effective
efficient either enable enables especially existing experiments extensive first focus from further furthermore
given have having here however improve improved improves improving including into introduce itself large
learning less made make makes many method methods model models more most much multiple need new novel often only
other others over paper performance present problem propose proposed provide provides recent results same
several show shows significant significantly such than that their them then there these they this those
through thus to towards under using various very well were what when where which while with within without work
would state-of-the-art task tasks framework frameworks study achieve achieves achieving results result use uses
used however however
""".split()
)


def context_words(text: str) -> frozenset[str]:
    """The topical words of a text: lower-case words of four or more letters, common
    words of abstracts left out.

    >>> sorted(context_words("We fine-tune LLaMA with LoRA on the Alpaca data."))
    ['alpaca', 'fine-tune', 'llama', 'lora']
    """
    return frozenset(_CONTEXT_WORD.findall(text.lower())) - _STOP


class Contexts:
    """Topical similarity between papers and senses: cosine of idf-weighted word sets, the
    sense's vector being the mean of its defining papers' (at most ``max_papers``).

    ``texts`` gives each paper's text; only the papers asked about are read, and idf comes
    from those papers (:meth:`prepare` with all of them first, so that answers do not depend
    on the order of questions).
    """

    def __init__(self, texts: Sequence[str], *, max_papers: int = 20):
        self.texts = texts
        self.max_papers = max_papers
        self.words: dict[int, frozenset[str]] = {}
        self.idf: dict[str, float] = {}
        self._profiles: dict[int, dict[str, float]] = {}
        self._vectors: dict[int, dict[str, float]] = {}

    def prepare(self, papers: Iterable[int]) -> None:
        for i in papers:
            if i not in self.words:
                self.words[i] = context_words(self.texts[i])
        df: Counter = Counter()
        for ws in self.words.values():
            df.update(ws)
        n = max(len(self.words), 2)
        self.idf = {w: math.log(n / c) for w, c in df.items()}
        self._profiles.clear()
        self._vectors.clear()

    def _vector(self, i: int) -> dict[str, float]:
        v = self._vectors.get(i)
        if v is not None:
            return v
        ws = self.words.get(i)
        if ws is None:
            ws = self.words[i] = context_words(self.texts[i])
        idf = self.idf
        v = {w: idf[w] for w in ws if idf.get(w)}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        v = self._vectors[i] = {w: x / norm for w, x in v.items()}
        return v

    def profile(self, sense: Sense, *, leave_out: int | None = None) -> dict[str, float]:
        cacheable = leave_out is None or leave_out not in sense.papers
        if cacheable and id(sense) in self._profiles:
            return self._profiles[id(sense)]
        acc: Counter = Counter()
        for i in [p for p in sense.papers if p != leave_out][: self.max_papers]:
            acc.update(self._vector(i))
        norm = math.sqrt(sum(x * x for x in acc.values())) or 1.0
        prof = {w: x / norm for w, x in acc.items()}
        if cacheable:
            self._profiles[id(sense)] = prof
        return prof

    def similarity(self, paper: int, sense: Sense, *, leave_out: int | None = None) -> float:
        prof = self.profile(sense, leave_out=leave_out)
        if not prof:
            return 0.0
        v = self._vector(paper)
        return sum(v[w] * prof[w] for w in v.keys() & prof.keys())


# ---------------------------------------------------------------------------- choosing a sense
@dataclass(frozen=True)
class SenseParams:
    """How a bare acronym's sense is chosen (measured on the arXiv corpus: ``bench/resolve.py``).

    dominant : a sense with this share of the acronym's definitions wins without context.
    prior : the weight of how often a sense is meant (its share of the definitions, times
        the share of them writing the acronym as this paper does) next to topical similarity.
    margin : the best score must beat the second by this much, else the acronym stays its own.
    casing_share : a writing of the acronym is the sense's own when at least this share of
        its definitions write it so ("LoRa" is under 1% of LoRA's).
    min_papers : a sense's writing and topic are trusted from this many defining papers on.
    shrink : a sense defined by n papers counts its topical similarity n / (n + shrink).
    named : added to the score of a sense whose long form the paper also writes.
    min_similarity : below this topical similarity, an acronym written in a mixed case its
        sense is not written in stays its own entity.
    """

    dominant: float = 0.9
    prior: float = 1.0
    margin: float = 1e-6
    casing_share: float = 0.1
    min_papers: int = 5
    shrink: float = 2.0
    named: float = 0.5
    min_similarity: float = 0.05


@dataclass(frozen=True)
class Choice:
    """The sense chosen for a bare acronym (None: it stays its own entity) and why."""

    sense: int | None
    reason: str


def _mixed_case(casing: str) -> bool:
    """ "LoRa", "LoRA": capitals and small letters after the first letter."""
    rest = casing[1:]
    return any(c.islower() for c in rest) and any(c.isupper() for c in rest)


def casing_suspect(sense: Sense, casing: str, params: SenseParams = SenseParams()) -> bool:
    """Whether an acronym written ``casing`` may be another name than ``sense``'s: a
    mixed-case writing ("LoRa") its definitions (at least ``params.min_papers`` of them)
    rarely use; a sense kg's lexicon knows is trusted however few papers define it."""
    return (
        _mixed_case(casing)
        and (len(sense.papers) >= params.min_papers or sense.lexicon)
        and sense.casing_share(casing) < params.casing_share
    )


def needs_context(senses: Sequence[Sense], casing: str, params: SenseParams = SenseParams()) -> bool:
    """Whether choosing among ``senses`` for an acronym written ``casing`` needs the paper's topic."""
    total = sum(s.weight for s in senses) or 1.0
    top = senses[0]
    if len(senses) > 1 and top.weight / total < params.dominant:
        return True
    return casing_suspect(top, casing, params)


def choose_sense(
    senses: Sequence[Sense],
    casing: str,
    similarity=None,
    params: SenseParams = SenseParams(),
    *,
    named: int | None = None,
) -> Choice:
    """The sense a bare acronym written ``casing`` means in a paper (``senses`` heaviest first).

    ``similarity(sense) -> float`` is the paper's topical similarity to a sense; it is
    only called when :func:`needs_context`. ``named``: the index of a sense whose long form
    the paper writes too (evidence, not proof: "semantic alignment" is also just a phrase).

    >>> lora = Sense(["lowrankadaptation"], 40, Counter({"LoRA": 40}), papers=list(range(40)))
    >>> radio = Sense(["longrange"], 3, Counter({"LoRa": 3}), papers=[40, 41, 42])
    >>> choose_sense([lora, radio], "LoRA", lambda s: 0.2 if s is lora else 0.0).sense
    0
    >>> choose_sense([lora, radio], "LoRa", lambda s: 0.0 if s is lora else 0.3).sense
    1
    >>> choose_sense([lora], "LoRa", lambda s: 0.01).sense is None
    True
    """
    if named is None and not needs_context(senses, casing, params):
        return Choice(0, "dominant")
    # how often each sense is meant, given how the acronym is written: P(sense) P(writing | sense)
    odds = [s.weight * (s.casings.get(casing, 0) + 0.5) / (sum(s.casings.values()) + 1) for s in senses]
    total = sum(odds) or 1.0
    sims = [similarity(s) if similarity else 0.0 for s in senses]
    # a topic read from a few papers is a noisy one: its similarity counts less
    shrunk = [sim * len(s.papers) / (len(s.papers) + params.shrink or 1) for sim, s in zip(sims, senses, strict=True)]
    scores = [sim + params.prior * o / total for sim, o in zip(shrunk, odds, strict=True)]
    if named is not None:  # the paper also writes this sense's long form
        scores[named] += params.named
    order = sorted(range(len(senses)), key=lambda k: (-scores[k], k))
    best = order[0]
    if len(order) > 1 and scores[best] - scores[order[1]] < params.margin:
        return Choice(None, "tie")
    if casing_suspect(senses[best], casing, params) and sims[best] < params.min_similarity:
        return Choice(None, "casing")
    return Choice(best, "context")
