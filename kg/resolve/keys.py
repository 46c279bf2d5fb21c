"""Written forms and their keys: what two spellings of one name have in common.

A *key* is what is left of a written form after everything that does not change the name
is dropped: case, accents, Greek letters spelt out, spaces, hyphens and punctuation, the
plural of each word. Dots inside version numbers and trailing ``+`` stay, so versions and
"plus" variants keep apart ("GPT-3" is not "GPT-4", "LoRA+" is not "LoRA").
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "normalize",
    "entity_key",
    "entity_keys",
    "head_free",
    "slugify",
    "words",
    "is_short_form",
    "casing",
    "HEAD_WORDS",
]

_KEEP_S = ("ss", "us", "is", "os", "xs")
_KEEP_IES = frozenset({"series", "species", "movies", "cookies", "zombies", "calories", "lies", "ties", "pies"})
#: words that name what kind of thing a name is, not which thing ("BERT model", "MNIST dataset")
HEAD_WORDS = frozenset(
    """
model framework architecture approach method algorithm technique module mechanism system pipeline paradigm
dataset benchmark corpus suite
""".split()
)

_GREEK = dict(
    zip(
        "αβγδεζηθικλμνξοπρστυφχψωΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
        [
            "alpha",
            "beta",
            "gamma",
            "delta",
            "epsilon",
            "zeta",
            "eta",
            "theta",
            "iota",
            "kappa",
            "lambda",
            "mu",
            "nu",
            "xi",
            "omicron",
            "pi",
            "rho",
            "sigma",
            "tau",
            "upsilon",
            "phi",
            "chi",
            "psi",
            "omega",
        ]
        * 2,
        strict=True,
    )
)
_LATIN = {
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
    "œ": "oe",
    "Œ": "OE",
    "ø": "o",
    "Ø": "O",
    "ł": "l",
    "Ł": "L",
    "đ": "d",
    "Đ": "D",
    "ı": "i",
    "ς": "sigma",
    "×": "x",  # "ImageNet 256×256" is "ImageNet 256x256"
}
_TRANSLIT = str.maketrans({**_GREEK, **_LATIN})
_WORD = re.compile(r"[^\W_]+(?:\.\d+)*")
_LATEX = re.compile(r"\\[A-Za-z]+\*?|[${}^]")  # \textbf{J}oint, G$^{3}$CN


def _singular_word(word: str) -> str:
    if not word.endswith("s"):
        return word
    if len(word) > 4 and word.endswith("ies") and word.lower() not in _KEEP_IES:  # "strategies"
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S) and not word[-2].isdigit():
        return word[:-1]
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():  # "LMs", "GANs"
        return word[:-1]
    return word


def _plain(name: str) -> str:
    if "\\" in name or "$" in name or "{" in name:
        name = _LATEX.sub("", name)
    if name.isascii():
        return name
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(name: str) -> list[str]:
    """The words of a written form, transliterated, each made singular (case kept).

    >>> words("Multimodal LLMs"), words("β-VAE"), words("Qwen2.5-7B")
    (['Multimodal', 'LLM'], ['beta', 'VAE'], ['Qwen2.5', '7B'])
    """
    return [_singular_word(w) for w in _WORD.findall(_plain(name))]


@lru_cache(maxsize=1 << 20)
def normalize(name: str) -> str:
    """The key of a written form: lower case, no accents, Greek letters spelt out, no
    spaces/hyphens/punctuation except dots inside version numbers, words singular.

    >>> [normalize(n) for n in ["LLMs", "large language models", "Mixture-of-Experts", "GPT-4", "Habitat 2.0", "Qwen 2.5"]]
    ['llm', 'largelanguagemodel', 'mixtureofexpert', 'gpt4', 'habitat2.0', 'qwen2.5']
    >>> normalize("LoRA+"), normalize("GIZA++"), normalize("β-VAE"), normalize("Schrödinger Bridge")
    ('lora+', 'giza++', 'betavae', 'schrodingerbridge')
    >>> normalize("Katz centralities"), normalize("policies")
    ('katzcentrality', 'policy')
    >>> normalize("Kinetics-400") == normalize("Kinetics400"), normalize("Places 365") == normalize("Places365")
    (True, True)
    >>> normalize("ImageNet 256×256") == normalize("ImageNet 256x256") == normalize("ImageNet 256 × 256")
    True
    >>> normalize("\\\\textbf{J}oint \\\\textbf{G}raph"), normalize("G$^{3}$CN")
    ('jointgraph', 'g3cn')
    """
    text = _plain(name)
    ws = _WORD.findall(text)
    if not ws:
        return text.lower().strip()
    plus = len(text) - len(text.rstrip("+"))  # "LoRA+" and "GIZA++" are not "LoRA" and "GIZA"
    return "".join(_key_words(ws)) + "+" * plus


def _key_words(ws: list[str]) -> list[str]:
    """Words lower-cased and made singular, except a word before a number: that is part of a
    name, not a plural ("Kinetics-400" is "Kinetics400", "EPIC-KITCHENS-100" "EPIC-Kitchens-100")."""
    return [(w if k + 1 < len(ws) and ws[k + 1][0].isdigit() else _singular_word(w)).lower() for k, w in enumerate(ws)]


def entity_key(name: str) -> str:
    """The key entities are merged on: :func:`normalize`, and head words that only say what
    kind of thing it is dropped from the end while two words or more remain before them.

    >>> entity_key("Vision-Language-Action Models"), entity_key("attention mechanism"), entity_key("large language model")
    ('visionlanguageaction', 'attentionmechanism', 'largelanguage')
    """
    return entity_keys(name)[0]


def head_free(name: str, keep: int = 1) -> tuple[str, bool]:
    """``(key without trailing head words, whether any were dropped)``, keeping at least
    ``keep`` (1 or 2) words.

    >>> head_free("VLA models"), head_free("Katz centralities")
    (('vla', True), ('katzcentrality', False))
    """
    two, one, full = entity_keys(name)
    k = two if keep >= 2 else one
    return k, k != full


@lru_cache(maxsize=1 << 20)
def entity_keys(name: str) -> tuple[str, str, str]:
    """``(key keeping two words before head words, keeping one, keeping all)``.

    >>> entity_keys("VLA models"), entity_keys("large language models")
    (('vlamodel', 'vla', 'vlamodel'), ('largelanguage', 'largelanguage', 'largelanguagemodel'))
    >>> entity_key("Kinetics-400") == entity_key("Kinetics400") == normalize("Kinetics400")
    True
    """
    text = _plain(name)
    ws = _WORD.findall(text)
    if not ws:
        k = text.lower().strip()
        return k, k, k
    plus = "+" * (len(text) - len(text.rstrip("+")))
    ws = _key_words(ws)
    full = "".join(ws) + plus
    n = len(ws)
    if plus or ws[-1] not in HEAD_WORDS:
        return full, full, full
    cut = n
    while cut > 1 and ws[cut - 1] in HEAD_WORDS:
        cut -= 1
    one = "".join(ws[:cut])
    two = "".join(ws[: max(cut, 2)]) if n > 2 or cut == n else full
    if n == 2:
        two = full
    return two, one, full


def slugify(name: str, *, keep_case: bool = False) -> str:
    """A readable, URL-safe id part: ``"Low-Rank Adaptation"`` -> ``"low-rank-adaptation"``.

    ``keep_case`` keeps capitals, to tell apart names that differ only in case.

    >>> slugify("Qwen2.5-72B-Instruct"), slugify("large language models"), slugify("The Pile"), slugify("LoRA+")
    ('qwen2.5-72b-instruct', 'large-language-model', 'the-pile', 'lora-plus')
    >>> slugify("LoRa", keep_case=True)
    'LoRa'
    """
    ws = _WORD.findall(_plain(name))
    if not ws:
        return "x"
    ws[-1] = _singular_word(ws[-1])
    if name[-1:] != "+":
        slug = "-".join(ws)
        return slug if keep_case else slug.lower()
    plus = len(name) - len(name.rstrip("+"))
    slug = "-".join(ws + ["plus"] * plus)
    return slug if keep_case else slug.lower()


@lru_cache(maxsize=1 << 20)
def is_short_form(form: str) -> bool:
    """Whether a written form looks like an acronym or a short name rather than a phrase:
    at most two words and twelve characters, with a capital inside a word, or a capital and
    a digit ("Multi-Agent" is a phrase).

    >>> [is_short_form(f) for f in ["LoRA", "ViT-B/16", "T5", "Llama", "Vision Transformer", "MS COCO", "Multi-Agent"]]
    [True, True, True, False, False, True, False]
    """
    f = form.strip()
    if not f or len(f) > 12 or len(f.split()) > 2:
        return False
    inner = any(ch.isupper() and i and f[i - 1] not in " -/" for i, ch in enumerate(f))
    return inner or (any(ch.isupper() for ch in f) and any(ch.isdigit() for ch in f))


def casing(form: str) -> str:
    """How a short form is written, plural dropped: what tells "LoRa" from "LoRA".

    >>> casing("LoRAs"), casing("LLMs"), casing("LoRa"), casing("VLA models")
    ('LoRA', 'LLM', 'LoRa', 'VLA')
    """
    ws = words(form)
    while len(ws) > 1 and ws[-1].lower() in HEAD_WORDS:  # "VLA models" is written "VLA"
        ws = ws[:-1]
    return "".join(ws) if ws else form
