"""Entity resolution across a corpus: one node per real thing, and model families.

The step between extraction and linking. Its input is small and plain -- per paper, the
written forms the recognizer found (text, type, confidence, and the long form when the paper
defines an acronym) and the paper's text as topical context -- so it holds whatever
recognizer feeds it. The model:

1. **Form -> key** (:func:`~kg.resolve.keys.normalize`): case, accents, Greek letters,
   hyphens and spaces, and plurals do not matter ("LLMs" = "large language model"'s "LLM";
   "Mixture-of-Experts" = "mixture of experts"); versions do ("GPT-3" is not "GPT-4").
2. **Key -> candidate entities.** A key no paper defines as an acronym names one entity;
   keys that kg's lexicon lists as one name, and names whose inner acronyms spelt out give
   the same key ("Multimodal LLMs" = "multimodal large language models"), are one entity.
3. **Acronyms** (:mod:`~kg.resolve.acronyms`): a paper defines an acronym by a long form in
   parentheses that spells it out (the recognizer's long form, completed from the text when
   it was cut off: "Synchronous Stochastic Gradient Descent (SSGD)"), or by one of its own
   names whose initials it is ("IEA, a conversational Image Editing Agent"); a one-word name
   spells out the acronym of its parts ("OpenStreetMap (OSM)", "Sentinel-2 (S2)"). Definitions
   that spell nothing out, and names a paper merely shortens, hold in that paper only. The
   long forms a corpus gives an acronym are grouped into senses. In a paper, an acronym
   means the sense that paper defines, else the corpus's most frequent sense given how it
   is written ("LoRa" is rarely LoRA), weighted by the paper's topic and by a long form the
   paper also writes where senses compete; a name hundreds of papers use bare and one
   defines ("GPT-4o") is that name; when no sense is preferred at all, or a mixed-case
   writing meets a far topic (the radio "LoRa"), it stays its own entity. Ambiguity is a
   property of the acronym in a paper: each sense is one entity with one id, however many
   long forms it has and however many senses its acronym has.
4. **Entities.** The name is kg's lexicon name, else the most frequent written form (the
   long form when its acronym has several senses); the type is a vote over all mentions
   (confidence-weighted; METHOD against data first, then dataset against benchmark); the id
   is ``<type>:<slug>`` of the lexicon name, else of the most frequent long form, else of the
   most frequent form. Ids do not depend on input order or counts beyond that choice:
   adding papers renames an entity only when they change its names (a new long form becomes
   the most frequent, or new definitions join it to another entity).
5. **Families** (:mod:`~kg.resolve.families`): a variant ("Llama-3.1-8B-Instruct") points
   at the nearest entity of the corpus its name is a variant of ("Llama-3.1-8B", else
   "Llama 3.1", ...), of the same kind (method or data).

>>> r = resolve([PaperForms("a", (Form("Multimodal Large Language Models", "METHOD"),
...                               Form("MLLMs", "METHOD", long_form="Multimodal Large Language Models"))),
...              PaperForms("b", (Form("MLLM", "METHOD"), Form("multimodal LLMs", "METHOD"),
...                               Form("LLMs", "METHOD", long_form="large language models")))])
>>> r.entity_ids
(('method:multimodal-large-language-model', 'method:multimodal-large-language-model'), ('method:multimodal-large-language-model', 'method:multimodal-large-language-model', 'method:large-language-model'))
"""

from __future__ import annotations

from kg.resolve.acronyms import SenseParams
from kg.resolve.families import family_candidates
from kg.resolve.keys import casing, is_short_form, normalize, slugify
from kg.resolve.resolver import LEXICON_WEIGHT, Form, PaperForms, Resolution, coarse_type, resolve

__all__ = [
    "resolve",
    "Form",
    "PaperForms",
    "Resolution",
    "SenseParams",
    "normalize",
    "slugify",
    "casing",
    "is_short_form",
    "family_candidates",
    "coarse_type",
    "LEXICON_WEIGHT",
]
