"""Schwartz & Hearst acronym detection, as pure functions."""

from __future__ import annotations

import pytest

from kg.extract.abbreviations import best_long_form, find_abbreviations, is_short_form


def pairs(text):
    return [(a.short(text), a.long(text)) for a in find_abbreviations(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("To promote Vision-Language Pre-training (VLP) in China", [("VLP", "Vision-Language Pre-training")]),
        ("we study large language models (LLMs) for retrieval", [("LLMs", "large language models")]),
        ("the VLP (Vision-Language Pre-training) paradigm", [("VLP", "Vision-Language Pre-training")]),
        (
            "An Offline Randomized Perturbation (ORP) strategy is introduced.",
            [("ORP", "Offline Randomized Perturbation")],
        ),
        ("alternative retrieval oriented masking (dubbed as ROM) strategy", [("ROM", "retrieval oriented masking")]),
        ("we introduce the 'Align-to-Distill' (A2D) strategy", [("A2D", "Align-to-Distill")]),
        ("Low-Rank Adaptation (LoRA; Hu et al., 2021) freezes weights", [("LoRA", "Low-Rank Adaptation")]),
    ],
)
def test_definitions_in_both_orders(text, expected):
    assert pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "accuracy improves (see Table 2) on all tasks",
        "a strong baseline (e.g. BERT) is used",
        "results (p < 0.05) are significant",
        "the method (which is simple) works",
    ],
)
def test_parentheses_that_are_not_definitions(text):
    assert pairs(text) == []


def test_offsets_index_the_text_exactly():
    text = "Scene text recognition (STR) pre-training methods rely on synthetic data. STR is hard."
    (a,) = find_abbreviations(text)
    assert text[a.short_start : a.short_end] == "STR"
    assert text[a.long_start : a.long_end] == "Scene text recognition"


def test_short_form_rules():
    assert is_short_form("MT-NLG") and is_short_form("mBERT") and not is_short_form("e.g.")
    assert not is_short_form("several words in here")
    assert best_long_form("KD", "we apply knowledge distillation") == len("we apply ")


def test_an_acronym_that_starts_like_a_reference_word_is_still_an_acronym():
    """ "cf." and "see" in brackets are no acronyms; "CFG", "SEED" and "REFINER" are."""
    t = "Classifier-free guidance (CFG) helps, see (cf. Smith) and Self-Evolving Data (SEED)."
    found = {a.short(t): a.long(t) for a in find_abbreviations(t)}
    assert found == {"CFG": "Classifier-free guidance", "SEED": "Self-Evolving Data"}


@pytest.mark.parametrize(
    ("text", "found", "long_form"),
    [
        # the recognizer found only the end of the long form: the short form is the whole long form's
        (
            "We build a classical-quantum doubly stochastic Transformer (QDSFormer). Our QDSFormer wins.",
            "Transformer",
            "classical-quantum doubly stochastic Transformer",
        ),
        (
            "We propose the Reference-based Efficient Knowledge Evaluation for Large Language Model (RECKON).",
            "Large Language Model",
            "Reference-based Efficient Knowledge Evaluation for Large Language Model",
        ),
        # the recognizer's name runs on before the long form: the definition says where it starts
        ("We use a DINOv2 Vision Transformer (ViT) here.", "DINOv2 Vision Transformer", "Vision Transformer"),
    ],
)
def test_an_acronym_is_the_long_form_its_letters_stand_for_not_the_recognizers_span(text, found, long_form):
    from kg.extract.candidates import find_candidates

    s = text.index(found)
    cands = find_candidates(
        text, sents=[(0, len(text))], ents=[(s, s + len(found), "METHOD")], abbreviations=find_abbreviations(text)
    )
    names = [text[c.start : c.end] for c in cands]
    assert long_form in names and found not in names[: names.index(long_form)] + names[names.index(long_form) + 1 :]
    assert {c.long_form for c in cands if c.source == "acronym"} == {long_form}
