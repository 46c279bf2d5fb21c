"""kg's tokenizer: ``en_core_web_sm``'s English rules plus a few for how papers are written.

Abstracts glue brackets to words ("Large Language Model(LLM)-based", "RAG)-enhanced",
"Minimization~(BSAM)"), keep LaTeX commands around names ("\\textbf{ASAug}") and end
sentences with a name that holds digits ("LLaMA2-13B."). spaCy's English rules keep each of
those as one token, so no entity boundary could fall inside them; these rules split them.
The recognizer is trained with this tokenizer, so the two always go together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex, registry

__all__ = ["customize_tokenizer", "make_customize_tokenizer", "EXTRA_INFIXES", "EXTRA_PREFIXES", "EXTRA_SUFFIXES"]

#: brackets and tildes inside a token, and a backslash starting a LaTeX command
EXTRA_INFIXES = (r"[(){}\[\]~]", r"\\(?=[A-Za-z])")
#: a LaTeX command opening a token ("\textbf{")
EXTRA_PREFIXES = (r"\\[A-Za-z]+\*?\{?",)
#: a full stop after a name ending in a digit or a size ("GPT-4.", "LLaMA2-13B.")
EXTRA_SUFFIXES = (r"(?<=[0-9])\.", r"(?<=[0-9][A-Za-z])\.")


def customize_tokenizer(nlp: Language) -> Language:
    """Add kg's rules to ``nlp``'s tokenizer (in place) and return ``nlp``.

    >>> import spacy
    >>> nlp = customize_tokenizer(spacy.blank("en"))
    >>> [t.text for t in nlp("Model(LLM)-based \\\\textbf{ASAug} beats LLaMA2-13B.")]
    ['Model', '(', 'LLM', ')', '-based', '\\\\textbf{', 'ASAug', '}', 'beats', 'LLaMA2', '-', '13B', '.']
    """
    defaults = nlp.Defaults
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    tokenizer.infix_finditer = compile_infix_regex(tuple(defaults.infixes or ()) + EXTRA_INFIXES).finditer
    tokenizer.prefix_search = compile_prefix_regex(tuple(defaults.prefixes or ()) + EXTRA_PREFIXES).search
    tokenizer.suffix_search = compile_suffix_regex(tuple(defaults.suffixes or ()) + EXTRA_SUFFIXES).search
    return nlp


@registry.callbacks("kg.customize_tokenizer.v1")
def make_customize_tokenizer() -> Callable[[Language], Language]:
    """The same, as a spaCy callback for training configs (``[nlp] after_creation``)."""
    return customize_tokenizer
