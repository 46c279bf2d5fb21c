"""Extraction with the real spaCy pipeline, on small real sentences."""

from __future__ import annotations

import json
import pickle

import pytest
import spacy

from kg.extract import extract, to_record
from kg.extract.pipeline import analyze_texts, load_nlp
from kg.model import ENTITY_TYPES, ROLES, Paper


def corpus_of(*abstracts: str, titles: tuple[str, ...] = ()):
    papers = [Paper(id=f"p{i}", title=titles[i] if i < len(titles) else f"Paper {i}", abstract=a)
              for i, a in enumerate(abstracts)]
    return extract(papers)


def entity_named(corpus, name):
    from kg.extract.entities import normalize

    key = normalize(name)
    hits = [e for e in corpus.entities.values() if key in {normalize(n) for n in (e.name, *e.aliases)}]
    assert hits, f"no entity named {name!r} in {[e.name for e in corpus.entities.values()]}"
    assert len(hits) == 1, hits
    return hits[0]


def roles_of(corpus, paper_index=0):
    x = corpus.extractions[paper_index]
    return {corpus.entities[eid].name: role for eid, role in x.roles}


# ---------------------------------------------------------------------------- components
def test_components_are_spacy_factories():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("kg_abbreviations")
    nlp.add_pipe("kg_lexicon")
    nlp.add_pipe("kg_candidates")
    nlp.add_pipe("kg_roles")
    problems = nlp.analyze_pipes()["problems"]
    assert all(not v for v in problems.values()), problems
    # the config alone rebuilds the same pipeline
    again = spacy.util.load_model_from_config(nlp.config, auto_fill=True)
    assert again.pipe_names == nlp.pipe_names
    doc = again("We propose Low-Rank Adaptation (LoRA) and evaluate on GSM8K.")
    found = {doc.text[c.start:c.end]: c.type for c in doc._.kg_candidates}
    assert found["LoRA"] == "METHOD" and found["GSM8K"] == "BENCHMARK"


def test_docs_stay_picklable(nlp):
    doc = nlp("We fine-tune LLaMA with Low-Rank Adaptation (LoRA) on the Alpaca data and evaluate on MMLU.")
    back = pickle.loads(pickle.dumps(doc))
    assert back._.kg_candidates == doc._.kg_candidates and back._.kg_candidates
    assert back._.kg_roles == doc._.kg_roles


def test_processes_give_the_same_results(seed_papers):
    texts = [t for p in seed_papers[:150] for t in (p.title, p.abstract)]
    one = list(analyze_texts(texts, n_process=1, chunk_size=100))
    two = list(analyze_texts(texts, n_process=2, chunk_size=100))
    assert one == two and len(one) == len(texts)


def test_the_statistical_recognizer_is_in_the_pipeline(nlp):
    assert "kg_ner" in nlp.pipe_names
    assert set(nlp.get_pipe("kg_ner").labels) == {"METHOD", "DATASET", "TASK", "METRIC"}


# ---------------------------------------------------------------------------- mentions
def test_mentions_have_exact_offsets_and_provenance():
    papers = [Paper(id="a", title="RLPrompt: Optimizing Discrete Text Prompts with Reinforcement Learning",
                    abstract="We propose RLPrompt, which trains a policy network with reinforcement learning (RL). "
                             "RLPrompt outperforms soft prompt tuning on GLUE.")]
    corpus = extract(papers)
    x = corpus.extractions[0]
    assert x.mentions
    for m in x.mentions:
        assert x.paper.text(m.field)[m.start:m.end] == m.text
        assert m.type in ENTITY_TYPES and m.role in ROLES and 0 <= m.confidence <= 1
        assert m.entity in corpus.entities and m.source
    second = [m for m in x.mentions if m.text == "RLPrompt" and m.field == "abstract"][-1]
    assert second.sentence == 1


def test_acronym_and_long_form_are_one_entity():
    c = corpus_of("Scene text recognition benefits from Knowledge Distillation (KD). KD transfers knowledge.")
    e = entity_named(c, "knowledge distillation")
    assert {"KD", "Knowledge Distillation"} <= {e.name, *e.aliases}


def test_short_form_defined_in_one_paper_is_recognised_in_another():
    c = corpus_of("We adapt models with Low-Rank Adaptation (LoRA) and quantisation.",
                  "Our adapters are trained with LoRA on a single GPU.")
    e = entity_named(c, "LoRA")
    assert set(e.papers) == {"p0", "p1"}
    found = [m for m in c.extractions[1].mentions if m.text == "LoRA"]
    assert found and found[0].entity == e.id


def test_ambiguous_short_forms_are_not_spread():
    c = corpus_of("We route tokens with Sparse Gated Routing (SGR) in every layer.",
                  "We answer questions with Structured Graph Reasoning (SGR) over tables.",
                  "Results with SGR are shown.")
    third = {c.entities[eid].name for eid, _ in c.extractions[2].roles}
    assert not any("Sparse" in n or "Structured" in n for n in third)
    first = {m.entity for m in c.extractions[0].mentions if "SGR" in m.text}
    second = {m.entity for m in c.extractions[1].mentions if "SGR" in m.text}
    assert first and second and first != second


def test_case_plural_and_hyphen_variants_merge():
    c = corpus_of("Large language models (LLMs) are strong.",
                  "We study an LLM for retrieval.",
                  "We scale large language model training with Mixture-of-Experts layers. "
                  "A mixture of experts routes each token to two experts.")
    llm = entity_named(c, "LLM")
    assert set(llm.papers) == {"p0", "p1", "p2"}
    moe = entity_named(c, "mixture of experts")
    assert "p2" in moe.papers


def test_versions_are_kept_apart():
    c = corpus_of("We compare GPT-3 with GPT-4 and Habitat 2.0.")
    gpt3, gpt4 = entity_named(c, "GPT-3"), entity_named(c, "GPT-4")
    assert gpt3.id != gpt4.id
    assert entity_named(c, "Habitat 2.0").name == "Habitat 2.0"


def test_stable_ids():
    a = corpus_of("We fine-tune with LoRA and evaluate on GSM8K.")
    b = corpus_of("Unrelated text about GSM8K first. We fine-tune with LoRA and evaluate on GSM8K.")
    assert entity_named(a, "LoRA").id == entity_named(b, "LoRA").id == "method:lora"
    assert entity_named(a, "GSM8K").id == "benchmark:gsm8k"


# ---------------------------------------------------------------------------- roles and types
@pytest.mark.parametrize("sentence,name,role", [
    ("In this paper, we propose FlashQuery, a novel retrieval framework for long documents.", "FlashQuery", "introduces"),
    ("We release Youku-mPLUG, a corpus of 10 million Chinese video-text pairs.", "Youku-mPLUG", "introduces"),
    ("Experiments show strong accuracy on GSM8K and MMLU.", "GSM8K", "evaluates_on"),
    ("Our model outperforms RoBERTa by a wide margin.", "RoBERTa", "compares_with"),
    ("Compared with BERT, the approach needs fewer parameters.", "BERT", "compares_with"),
    ("We extract image features using CLIP.", "CLIP", "uses"),
    ("The encoder is built on top of T5.", "T5", "uses"),
    ("BERT is a popular language model.", "BERT", "mentions"),
])
def test_each_role_cue(sentence, name, role):
    c = corpus_of(sentence)
    assert roles_of(c)[entity_named(c, name).name] == role


def test_the_title_name_is_introduced():
    c = corpus_of("We optimise discrete text prompts with reinforcement learning.",
                  titles=("RLPrompt: Optimizing Discrete Text Prompts with Reinforcement Learning",))
    assert roles_of(c)["RLPrompt"] == "introduces"


def test_a_generic_family_is_not_introduced():
    c = corpus_of("We present a large language model for finance trained on public filings.")
    assert roles_of(c).get(entity_named(c, "large language model").name) != "introduces"


@pytest.mark.parametrize("sentence,name,type_", [
    ("The model is pre-trained on The Pile and fine-tuned on C4.", "The Pile", "DATASET"),
    ("We report accuracy on MMLU and HumanEval.", "MMLU", "BENCHMARK"),
    ("We curate PRECOG, a corpus of redacted description-performance pairs.", "PRECOG", "DATASET"),
    ("We introduce WorkBench, the first unified evaluation suite spanning six tasks.", "WorkBench", "BENCHMARK"),
    ("Models trained on ImageNet transfer well.", "ImageNet", "DATASET"),
    ("Top-1 accuracy on ImageNet improves by 2 points.", "ImageNet", "BENCHMARK"),
])
def test_dataset_versus_benchmark_is_decided_by_use(sentence, name, type_):
    assert entity_named(corpus_of(sentence), name).type == type_


def test_vague_words_are_not_entities():
    c = corpus_of("Our proposed framework improves the baseline model. The method and the approach are simple.")
    assert not c.entities


# ---------------------------------------------------------------------------- kg extract contract
def test_extract_record_contract():
    papers = [Paper(id="arxiv:2106.09685", title="LoRA: Low-Rank Adaptation of Large Language Models",
                    abstract="We propose Low-Rank Adaptation (LoRA). LoRA outperforms adapters on GLUE.")]
    corpus = extract(papers)
    rec = json.loads(json.dumps(to_record(corpus.extractions[0], corpus)))
    assert set(rec) == {"id", "title", "mentions", "entities"}
    assert rec["id"] == "arxiv:2106.09685" and rec["title"] == papers[0].title
    for m in rec["mentions"]:
        assert set(m) == {"text", "field", "start", "end", "sentence", "type", "entity", "role", "source", "confidence"}
        assert papers[0].text(m["field"])[m["start"]:m["end"]] == m["text"]
    ids = {e["id"] for e in rec["entities"]}
    assert {m["entity"] for m in rec["mentions"]} == ids
    for e in rec["entities"]:
        assert set(e) == {"id", "name", "type", "aliases", "role"}
    lora = next(e for e in rec["entities"] if e["id"] == "method:lora")
    assert lora["role"] == "introduces" and "Low-Rank Adaptation" in [lora["name"], *lora["aliases"]]


def test_load_nlp_is_cached():
    assert load_nlp() is load_nlp()


def test_merging_is_stable_when_definitions_chain():
    """A short form with two long forms that another definition later joins keeps one key
    from the first mention to the last (found on the full arXiv corpus)."""
    c = corpus_of("We train Video Diffusion Transformers (VDiT) on clips.",
                  "A Video DiT (VDiT) generates frames.",
                  "The Video Diffusion Transformer (Video DiT) scales.",
                  "VDiT and Video DiT outperform GANs.")
    assert all(m.entity in c.entities for x in c.extractions for m in x.mentions)
