"""Linking on hand-built corpora: weights, the hub cap, top-k, explanations."""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from kg.extract import Corpus
from kg.link import LinkOptions, cooccurrences, entity_weights, link_papers
from kg.model import Entity, Extraction, Paper

ALL = dict(max_df=1.0, max_df_papers=10**9, min_weight=0.0, top_k=10**6)


def make_corpus(assignments: dict[str, dict[str, str]]) -> Corpus:
    """papers -> {entity id: role}; entity names are the ids upper-cased."""
    xs = [Extraction(Paper(id=p, title=p), roles=tuple(sorted(r.items()))) for p, r in assignments.items()]
    ents = sorted({e for r in assignments.values() for e in r})
    return Corpus(xs, [Entity(e, e.upper(), "METHOD") for e in ents])


def as_dict(links):
    return {tuple(sorted((lnk.source, lnk.target))): lnk for lnk in links}


def test_count_weights_equal_networkx_weighted_projection():
    rng = random.Random(7)
    assignments = {f"p{i}": {f"e{j}": "mentions" for j in rng.sample(range(12), rng.randint(1, 5))} for i in range(40)}
    corpus = make_corpus(assignments)
    ours = as_dict(link_papers(corpus, LinkOptions(weighting="count", role_bonus=False, **ALL)))
    B = nx.Graph()
    B.add_nodes_from(assignments, bipartite=0)
    B.add_edges_from((p, e) for p, r in assignments.items() for e in r)
    theirs = bipartite.weighted_projected_graph(B, list(assignments))
    assert set(ours) == {tuple(sorted(e)) for e in theirs.edges}
    for (u, v), link in ours.items():
        assert link.weight == pytest.approx(theirs.edges[u, v]["weight"])
        assert len(link.shared) == theirs.edges[u, v]["weight"]


def test_rare_shared_entities_weigh_more():
    corpus = make_corpus(
        {
            "a": {"rare": "mentions", "common": "mentions"},
            "b": {"rare": "mentions"},
            "c": {"common": "mentions"},
            "d": {"common": "mentions"},
            "e": {"common": "mentions"},
        }
    )
    links = as_dict(link_papers(corpus, LinkOptions(**ALL)))
    n = 5
    assert links[("a", "b")].weight == pytest.approx(math.log(n / 2) / math.log(n), abs=1e-4)
    assert links[("a", "b")].weight > links[("a", "c")].weight > 0
    assert entity_weights([1], 10)[0] == pytest.approx(1.0)


def test_hub_entities_create_no_links_but_stay_in_the_graph():
    assignments = {f"p{i}": {"hub": "uses"} for i in range(30)}
    assignments["p0"]["niche"] = "uses"
    assignments["p1"]["niche"] = "uses"
    corpus = make_corpus(assignments)
    links = link_papers(corpus, LinkOptions(max_df=0.5, min_weight=0.0))
    assert [tuple(sorted((lnk.source, lnk.target))) for lnk in links] == [("p0", "p1")]
    assert links[0].shared == ("NICHE",)
    from kg.graph import build_graph

    G = build_graph(corpus, links)
    assert G.nodes["hub"]["paper_count"] == 30


def test_top_k_caps_links_per_paper_and_keeps_the_heaviest():
    rng = random.Random(3)
    assignments = {f"p{i}": {f"e{j}": "mentions" for j in rng.sample(range(8), 3)} for i in range(60)}
    corpus = make_corpus(assignments)
    every = link_papers(corpus, LinkOptions(**ALL))
    k = 3
    capped = link_papers(corpus, LinkOptions(**{**ALL, "top_k": k}))
    degree = {}
    for lnk in capped:
        degree[lnk.source] = degree.get(lnk.source, 0) + 1
        degree[lnk.target] = degree.get(lnk.target, 0) + 1
    assert max(degree.values()) <= k
    assert len(capped) < len(every)
    # the heaviest link overall always survives
    heaviest = max(every, key=lambda lnk: (lnk.weight, lnk.source, lnk.target))
    assert tuple(sorted((heaviest.source, heaviest.target))) in as_dict(capped)


def test_min_weight_drops_light_links():
    corpus = make_corpus({"a": {"x": "uses", "y": "uses"}, "b": {"x": "uses", "y": "uses"}, "c": {"x": "uses"}})
    all_links = link_papers(corpus, LinkOptions(**ALL))
    strict = link_papers(corpus, LinkOptions(**{**ALL, "min_weight": max(lnk.weight for lnk in all_links) - 1e-3}))
    assert [(lnk.source, lnk.target) for lnk in strict] == [("a", "b")]


def test_role_bonus_makes_shared_benchmarks_and_introduce_use_heavier():
    corpus = make_corpus(
        {
            "eval1": {"bench": "evaluates_on"},
            "eval2": {"bench": "evaluates_on"},
            "men1": {"word": "mentions"},
            "men2": {"word": "mentions"},
            "intro": {"tool": "introduces"},
            "user": {"tool": "uses"},
        }
    )
    links = as_dict(link_papers(corpus, LinkOptions(**ALL)))
    base = links[("men1", "men2")].weight
    assert links[("eval1", "eval2")].weight == pytest.approx(1.5 * base, abs=1e-3)
    assert links[("intro", "user")].weight == pytest.approx(1.5 * base, abs=1e-3)


def test_explanations_name_the_shared_entities_heaviest_first():
    corpus = make_corpus(
        {
            "a": {"lora": "uses", "gsm8k": "evaluates_on", "llm": "mentions"},
            "b": {"lora": "uses", "gsm8k": "evaluates_on", "llm": "mentions"},
            "c": {"llm": "mentions"},
            "d": {"llm": "mentions", "other": "uses"},
        }
    )
    link = as_dict(link_papers(corpus, LinkOptions(**ALL)))[("a", "b")]
    assert link.shared == ("GSM8K", "LORA", "LLM")


def test_cooccurrence_counts_papers():
    corpus = make_corpus(
        {"a": {"x": "uses", "y": "uses"}, "b": {"x": "uses", "y": "uses"}, "c": {"x": "uses", "z": "uses"}}
    )
    co = {(c.source, c.target): c.papers for c in cooccurrences(corpus, min_papers=1)}
    assert co == {("x", "y"): 2, ("x", "z"): 1}
    assert [(c.source, c.target) for c in cooccurrences(corpus)] == [("x", "y")]


def test_seed_links_are_sparse_and_explained(seed_graph):
    papers = [n for n, d in seed_graph.nodes(data=True) if d["kind"] == "Paper"]
    related = [(u, v, d) for u, v, d in seed_graph.edges(data=True) if d["kind"] == "RELATED"]
    assert 0 < len(related) <= 10 * len(papers)
    for u, v, d in related:
        assert d["shared"], (u, v)
        names_u = {
            seed_graph.nodes[e]["name"] for e in seed_graph.neighbors(u) if seed_graph.nodes[e]["kind"] != "Paper"
        }
        names_v = {
            seed_graph.nodes[e]["name"] for e in seed_graph.neighbors(v) if seed_graph.nodes[e]["kind"] != "Paper"
        }
        assert set(d["shared"]) <= names_u & names_v
