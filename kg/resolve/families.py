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
from functools import lru_cache
from typing import Callable, Iterable

from kg.resolve.keys import normalize

__all__ = ["parse_name", "family_candidates", "family_of", "VARIANT_WORDS"]

#: words after a model name that make a variant of it (compared in lower case)
VARIANT_WORDS = frozenset("""
instruct instruction chat it base sft rlhf dpo hf mini nano micro tiny small medium large xl xxl huge giant
turbo pro plus max ultra lite flash preview vision vl omni opus sonnet haiku exp thinking uncased cased
""".split())
_SIZE = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[bmkt]$|^a\d+(?:\.\d+)?b$", re.IGNORECASE)  # 7B, 1.5B, 8x7B, 110M, 1K, A3B
_SIZE_LETTERS = frozenset({"s", "b", "l", "h", "g", "t", "ti", "xs", "m"})  # ViT-B, Swin-T
_VERSION = re.compile(r"^(?:[vVrR])?(\d+(?:\.\d+)*)([a-zA-Z]?)$")  # 3, 3.1, 4o, 4V, v2, R1
_ATTACHED = re.compile(r"^([A-Za-z]{2,}?)([vV]?\d+(?:\.\d+)*[a-z]?)$")  # Qwen2.5, GPT4o, YOLOv8
_SPLIT = re.compile(r"[\s\-_/]+")


def _tokens(name: str) -> list[str]:
    out = []
    for tok in _SPLIT.split(name.strip()):
        if not tok:
            continue
        m = _ATTACHED.match(tok)
        if m and not m.group(1)[-1].isdigit():
            out.extend([m.group(1), m.group(2)])
        else:
            out.append(tok)
    return out


def _is_version(tok: str) -> bool:
    return bool(_VERSION.match(tok)) and not _SIZE.match(tok)


def _is_variant_word(tok: str, previous: str | None) -> bool:
    low = tok.lower()
    if low in VARIANT_WORDS or _SIZE.match(tok) or low in _SIZE_LETTERS:
        return True
    # "B/16": a patch size after a size letter
    return tok.isdigit() and previous is not None and previous.lower() in _SIZE_LETTERS


def parse_name(name: str) -> tuple[list[str], str | None, list[str]] | None:
    """``(base tokens, version, tail tokens)`` of a model-like name, or None when the name
    has neither a version nor variant words.

    >>> parse_name("Llama-3.1-8B-Instruct")
    (['Llama'], '3.1', ['8B', 'Instruct'])
    >>> parse_name("Mistral-7B-Instruct-v0.2")
    (['Mistral'], None, ['7B', 'Instruct', 'v0.2'])
    >>> parse_name("GSM8K") is None, parse_name("LLaVA-NeXT") is None
    (True, True)
    """
    toks = _tokens(name)
    for i, tok in enumerate(toks):
        if i == 0:
            continue
        if _is_version(tok):
            tail = toks[i + 1:]
            return toks[:i], tok, tail
        if _is_variant_word(tok, toks[i - 1]):
            tail = toks[i:]
            if all(_is_variant_word(t, toks[i + j - 1]) or _is_version(t) for j, t in enumerate(tail)):
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
_MAYBE_VARIANT = re.compile(r"\d|(?<![A-Za-z])(?:%s)(?![a-z])" % "|".join(
    sorted(VARIANT_WORDS | _SIZE_LETTERS, key=len, reverse=True)), re.IGNORECASE)


@lru_cache(maxsize=1 << 20)
def _candidates(name: str) -> tuple[str, ...]:
    if not _MAYBE_VARIANT.search(name):
        return ()
    return tuple(_family_candidates(name))


def family_candidates(name: str) -> list[str]:
    """The keys of the names ``name`` may be a variant of, nearest first (see
    :func:`_family_candidates`).

    >>> family_candidates("Qwen2.5-7B"), family_candidates("contrastive learning")
    (['qwen2.5', 'qwen2', 'qwen'], [])
    """
    return list(_candidates(name))


def _family_candidates(name: str) -> list[str]:
    """The keys of the names ``name`` may be a variant of, nearest first.

    >>> _family_candidates("Llama-3.1-8B-Instruct")
    ['llama3.18b', 'llama3.1', 'llama3', 'llama']
    >>> _family_candidates("GPT-4o-mini"), _family_candidates("Qwen2.5-7B")
    (['gpt4o', 'gpt4', 'gpt'], ['qwen2.5', 'qwen2', 'qwen'])
    >>> _family_candidates("ViT-B/16"), _family_candidates("GPT-4V"), _family_candidates("T5-XXL"), _family_candidates("BERT")
    (['vitb', 'vit'], ['gpt4', 'gpt'], ['t5'], [])
    """
    parsed = parse_name(name)
    if parsed is None:
        return []
    base, version, tail = parsed
    base_key = normalize(" ".join(base))
    if len(base_key) < 2 or not any(ch.isalpha() for ch in base_key):
        return []
    own = normalize(name)
    head = base + ([version] if version else [])
    out = [normalize(" ".join(head + tail[:i])) for i in range(len(tail) - 1, -1, -1)]
    if version:
        out += [normalize(" ".join(base + [v])) for v in _shorter_versions(version)]
        out.append(base_key)
    seen, keys = {own}, []
    for k in out:
        if k and k not in seen:
            seen.add(k)
            keys.append(k)
    return keys


def family_of(names: Iterable[str], entity_of_key: Callable[[str], str | None], *, own: str,
              compatible: Callable[[str], bool] = lambda _e: True) -> str | None:
    """The family of an entity known by ``names`` (its name first, then its aliases): the
    nearest candidate of the first name that has one, that ``entity_of_key`` maps to another
    entity which is ``compatible`` (same kind of thing).

    >>> ents = {"llama3.1": "method:llama-3.1", "llama": "method:llama"}
    >>> family_of(["Llama-3.1-8B-Instruct"], ents.get, own="method:llama-3.1-8b-instruct")
    'method:llama-3.1'
    """
    for name in names:
        for key in _candidates(name):
            eid = entity_of_key(key)
            if eid and eid != own and compatible(eid):
                return eid
    return None
