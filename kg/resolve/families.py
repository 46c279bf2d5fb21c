"""Model families from names: ``Llama-3.1-8B-Instruct`` is a variant of ``Llama-3.1-8B``,
which is a variant of ``Llama 3.1``, of ``Llama 3``, of ``LLaMA``.

A name is read as *base*, an optional *version* and a tail of *variant tokens*::

    Llama-3.1-8B-Instruct  ->  base "Llama", version "3.1", tail ["8B", "Instruct"]
    GPT-4o-mini            ->  base "GPT",   version "4o",  tail ["mini"]
    ViT-B/16               ->  base "ViT",   no version,    tail ["B", "16"]

Its family candidates, nearest first, drop the tail one token at a time, then shorten the
version (``3.1`` -> ``3``, ``4o`` -> ``4``), then drop it: ``Llama-3.1-8B``, ``Llama-3.1``,
``Llama 3``, ``Llama``. Without a version only known variant words (sizes, ``Instruct``,
``-mini``, ``-Turbo``, ``base``, ...) are dropped, so "GSM8K", "Word2Vec" or "LLaVA-NeXT" have
no family. :func:`family_of` links a variant to the nearest candidate that is an entity of
the corpus, so a family is never invented.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from kg.resolve.keys import normalize

__all__ = ["parse_name", "family_candidates", "family_of", "VARIANT_WORDS"]

#: words after a model name that make a variant of it (compared in lower case)
VARIANT_WORDS = frozenset(
    """
instruct instruction chat base mini nano micro tiny small medium large xl xxl huge giant
turbo pro plus max ultra lite flash preview vision vl omni opus sonnet haiku exp thinking uncased cased
""".split()
)
#: post-training tags: variant words only after a version or a size ("Llama-3-8B-DPO", "gemma-7b-it")
TUNING_WORDS = frozenset("it sft rlhf dpo hf".split())
#: words a name may end with that say what it is, not which variant ("Wan2.1 model")
_HEADS = frozenset("model models dataset datasets corpus benchmark benchmarks".split())
_DIMENSION = re.compile(r"^\d[dD]$")  # "3D", "2D" are not versions
_PATCH = re.compile(r"-[A-Za-z]{1,2}/\d+\b")  # "ViT-B/16"
_SIZE = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[bmkt]$|^a\d+(?:\.\d+)?b$", re.IGNORECASE)  # 7B, 1.5B, 8x7B, 110M, 1K, A3B
_SIZE_LETTERS = frozenset({"s", "b", "l", "h", "g", "t", "ti", "xs", "m"})  # ViT-B, Swin-T
_RESOLUTION = re.compile(r"^\d{2,4}[x×]\d{2,4}$")  # "ImageNet 256x256": a setting of ImageNet
_VERSION = re.compile(r"^(?:[vVrR])?(\d+(?:\.\d+)*)([a-zA-Z]?)$")  # 3, 3.1, 4o, 4V, v2, R1
_ATTACHED = re.compile(r"^([A-Za-z]{2,}?)([vV]?\d+(?:\.\d+)*[a-z]?)$")  # Qwen2.5, GPT4o, YOLOv8
_SPLIT = re.compile(r"[\s\-_/]+")


def _tokens(name: str) -> list[str]:
    out = []
    for tok in _SPLIT.split(name.strip()):
        if not tok:
            continue
        m = _ATTACHED.match(tok)
        # "Qwen2.5", "ResNet50"; not "kl3m" (a size), "KV260" (a part number), "3D"
        if m and not _SIZE.match(m.group(2)) and (len(m.group(1)) >= 3 or len(m.group(2)) <= 2):
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(tok)
    return out


def _is_version(tok: str) -> bool:
    m = _VERSION.match(tok)
    if not m or _SIZE.match(tok) or _DIMENSION.match(tok):
        return False
    number = m.group(1)
    if tok[0].isdigit() and number.startswith("0"):
        return False  # "0.485", "0.92s": measurements; "v0.2" is a version
    whole, _, fraction = number.partition(".")
    return not (fraction and (len(fraction) > 1 or len(whole) > 1) and len(number) > 4)  # not "20.89"


def _free_tail_word(tok: str) -> bool:
    """A tail word that names a line of models ("VL", "Coder", "Distill"), not what is done
    with the model ("based", "detection", "pruning", "CLIP", "Thoughtology")."""
    if tok.lower() in _HEADS or any(ch.isdigit() for ch in tok):
        return True
    return (tok[:1].isupper() and tok[1:].islower() and len(tok) <= 8) or (tok.isupper() and len(tok) <= 2)


def _is_variant_word(tok: str, previous: str | None) -> bool:
    low = tok.lower()
    if _SIZE.match(tok) or low in _SIZE_LETTERS or _RESOLUTION.match(tok):
        return True
    if low in VARIANT_WORDS:  # "Pro", "mini"; not an acronym such as "AU-PRO"
        return not (tok.isupper() and len(tok) >= 3 and low not in ("xl", "xxl"))
    # "B/16": a patch size after a size letter
    return tok.isdigit() and previous is not None and previous.lower() in _SIZE_LETTERS


def parse_name(name: str) -> tuple[list[str], str | None, list[str]] | None:
    """``(base tokens, version, tail tokens)`` of a model-like name, or None when the name
    has neither a version nor variant words.

    >>> parse_name("Llama-3.1-8B-Instruct")
    (['Llama'], '3.1', ['8B', 'Instruct'])
    >>> parse_name("Mistral-7B-Instruct-v0.2")
    (['Mistral'], None, ['7B', 'Instruct', 'v0.2'])
    >>> parse_name("GSM8K") is None, parse_name("LLaVA-NeXT") is None, parse_name("YOLOv10-based detection") is None
    (True, True, True)
    >>> parse_name("hierarchical 3D Gaussian") is None, parse_name("CLIP-IT") is None, parse_name("Llama3-MS-CLIP") is None
    (True, True, True)
    """
    if "/" in name and not _PATCH.search(name):
        return None  # "AgentA/B", "kWh/500": not names of variants
    toks = _tokens(name)
    for i, tok in enumerate(toks):
        if i == 0:
            continue
        if tok.isalpha() and tok.islower() and tok not in VARIANT_WORDS and tok not in TUNING_WORDS:
            return None  # "RL-trained 7B model": a description, not a model name
        if _is_version(tok):
            tail = toks[i + 1 :]
            if tail and tok.isdigit() and tail[0].isdigit():
                return None  # a range ("mAP50-95"), not a version
            ok = all(
                _is_variant_word(t, tail[j - 1] if j else tok)
                or _is_version(t)
                or t.lower() in TUNING_WORDS
                or _free_tail_word(t)
                for j, t in enumerate(tail)
            )
            free = sum(
                1
                for j, t in enumerate(tail)
                if not (
                    _is_variant_word(t, tail[j - 1] if j else tok)
                    or _is_version(t)
                    or t.lower() in TUNING_WORDS
                    or t.lower() in _HEADS
                    or _SIZE.match(t)
                )
            )
            return (toks[:i], tok, tail) if ok and free <= 1 else None
        if _is_variant_word(tok, toks[i - 1]):
            tail = toks[i:]
            sized = any(_SIZE.match(t) for t in tail)
            if not sized and not any(ch.isupper() or ch.isdigit() for t in toks[:i] for ch in t):
                return None  # "multimodal thinking models" is no model name
            if all(
                _is_variant_word(t, toks[i + j - 1])
                or _is_version(t)
                or t.lower() in _HEADS
                or (sized and t.lower() in TUNING_WORDS)
                for j, t in enumerate(tail)
            ):
                return toks[:i], None, tail
            return None
    return None


def _shorter_versions(version: str) -> list[str]:
    m = _VERSION.match(version)
    if not m:
        return []
    number, letter = m.groups()
    prefix = version[: len(version) - len(number) - len(letter)]
    out = []
    if letter:
        out.append(prefix + number)
    parts = number.split(".")
    while len(parts) > 1:
        parts = parts[:-1]
        out.append(prefix + ".".join(parts))
    return out


# a name can only be a variant if it holds a digit or a variant word
_MAYBE_VARIANT = re.compile(
    r"\d|(?<![A-Za-z])(?:{})(?![a-z])".format("|".join(sorted(VARIANT_WORDS | _SIZE_LETTERS, key=len, reverse=True))),
    re.IGNORECASE,
)


@lru_cache(maxsize=1 << 20)
def _candidates(name: str) -> tuple[tuple[str, str, bool | None], ...]:
    """``(key, base as written, bare)`` of each family candidate of ``name`` (see
    :func:`_family_candidates`); ``bare``: the name is an all-capitals acronym and a number
    only ("USD 1", "CMOS 28"), which is weak evidence of a family."""
    if not _MAYBE_VARIANT.search(name):
        return ()
    return tuple(_family_candidates(name))


def family_candidates(name: str) -> list[str]:
    """The keys of the names ``name`` may be a variant of, nearest first.

    >>> family_candidates("Llama-3.1-8B-Instruct")
    ['llama3.18b', 'llama3.1', 'llama3', 'llama']
    >>> family_candidates("GPT-4o-mini"), family_candidates("Qwen2.5-7B")
    (['gpt4o', 'gpt4', 'gpt'], ['qwen2.5', 'qwen2', 'qwen'])
    >>> family_candidates("ViT-B/16"), family_candidates("GPT-4V"), family_candidates("T5-XXL"), family_candidates("BERT")
    (['vitb', 'vit'], ['gpt4', 'gpt'], ['t5'], [])
    >>> family_candidates("contrastive learning"), family_candidates("kWh/500"), family_candidates("Teller 0.92s")
    ([], [], [])
    >>> family_candidates("Wan 20.89"), family_candidates("RoBERTa-base 0.485"), family_candidates("Mistral v0.2")
    ([], [], ['mistralv0', 'mistral'])
    >>> family_candidates("ImageNet 256x256"), family_candidates("ImageNet 512×512"), family_candidates("3x3 convolutions")
    (['imagenet'], ['imagenet'], [])
    """
    return [k for k, _b, _bare in _candidates(name)]


def _family_candidates(name: str) -> list[tuple[str, str, bool | None]]:
    parsed = parse_name(name)
    if parsed is None:
        return []
    base, version, tail = parsed
    base_key = normalize(" ".join(base))
    if len(base_key) < 2 or not any(ch.isalpha() for ch in base_key) or _DIMENSION.match(base[0]):
        return []
    while tail and tail[-1].lower() in _HEADS:
        tail = tail[:-1]  # "Wan2.1 model" is Wan2.1 itself, not a variant of it
    written = base[0]
    # weak: an acronym and a version only ("USD 1", "EO-1")
    bare: bool | None = bool(version) and not tail and len(base) == 1 and base[0].isupper()
    if version and version[:1] in "rR":
        bare = None  # an "-R1" model: only of a family kg's lexicon knows ("DeepSeek-R1"; "GUI-R1" is no GUI)
    own = normalize(" ".join(base + ([version] if version else []) + tail))
    head = base + ([version] if version else [])
    # dropping tail words keeps the version: a size of "Video-R1" is a Video-R1
    out: list[tuple[str, bool | None]] = [
        (normalize(" ".join(head + tail[:i])), False) for i in range(len(tail) - 1, -1, -1)
    ]
    if version:
        out += [(normalize(" ".join(base + [v])), bare) for v in _shorter_versions(version)]
        out.append((base_key, bare))
    seen, keys = {own}, []
    for k, weak in out:
        if k and k not in seen:
            seen.add(k)
            keys.append((k, written, weak))
    return keys


def family_of(
    names: Iterable[str],
    entity_of_key: Callable[..., str | None],
    *,
    own: str,
    compatible: Callable[[str], bool] = lambda _e: True,
) -> str | None:
    """The family of an entity known by ``names`` (its name first, then spellings of it):
    the nearest candidate of the first name that has one, that ``entity_of_key(key, base,
    bare)`` maps to another entity which is ``compatible`` (same kind of thing). ``base`` is
    the family name as the variant writes it ("Llama"), ``bare`` says the variant is only an
    acronym and a number.

    >>> ents = {"llama3.1": "method:llama-3.1", "llama": "method:llama"}
    >>> family_of(["Llama-3.1-8B-Instruct"], lambda k, b, bare: ents.get(k), own="method:llama-3.1-8b-instruct")
    'method:llama-3.1'
    """
    for name in names:
        for key, base, bare in _candidates(name):
            eid = entity_of_key(key, base, bare)
            if eid and eid != own and compatible(eid):
                return eid
    return None
