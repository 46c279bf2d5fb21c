"""Asking the graph: stats, similar papers, entity lookup (on the seed graph)."""

from __future__ import annotations

import pytest

from kg.errors import LookupNotFoundError
from kg.explore import communities, entity_info, find_entity, find_paper, graph_stats, similar_papers


def test_stats_counts_match_the_graph(seed_graph):
    s = graph_stats(seed_graph, top=5)
    kinds = {}
    for _, d in seed_graph.nodes(data=True):
        kinds[d["kind"]] = kinds.get(d["kind"], 0) + 1
    assert s["nodes"] == kinds and s["nodes"]["Paper"] == 422
    methods = s["top_entities"]["Method"]
    assert len(methods) == 5
    assert [m["papers"] for m in methods] == sorted((m["papers"] for m in methods), reverse=True)
    assert methods[0]["papers"] == max(d["paper_count"] for _, d in seed_graph.nodes(data=True) if d["kind"] == "Method")
    assert s["components"]["count"] >= 1 and s["components"]["largest"] <= 422
    assert s["communities"] and all(c["label"] for c in s["communities"])


def test_communities_partition_linked_papers(seed_graph):
    coms = communities(seed_graph, top=1000)
    seen = [p for c in coms for p in c["papers"]]
    assert len(seen) == len(set(seen))
    assert all(seed_graph.nodes[p]["kind"] == "Paper" for p in seen)


def test_similar_papers_are_explained(seed_graph):
    pid = find_paper(seed_graph, "Qwen2.5 Technical Report")
    rows = similar_papers(seed_graph, pid)
    assert rows and rows == sorted(rows, key=lambda r: -r["weight"])
    for r in rows:
        assert seed_graph.edges[pid, r["id"]]["kind"] == "RELATED" and r["shared"]
    assert find_paper(seed_graph, "qwen2.5 technical") == pid


@pytest.mark.parametrize("query", ["LoRA", "lora", "Low-Rank Adaptation", "low rank adaptation", "method:lora"])
def test_entity_lookup_accepts_aliases_and_case(seed_graph, query):
    assert find_entity(seed_graph, query) == "method:lora"


def test_entity_info_groups_papers_by_role(seed_graph):
    info = entity_info(seed_graph, "LLMs")
    assert info["id"] == "method:large-language-model"
    total = sum(len(v) for v in info["papers"].values())
    assert total == info["paper_count"] == seed_graph.degree(info["id"]) - sum(
        1 for n in seed_graph.neighbors(info["id"]) if seed_graph.nodes[n]["kind"] != "Paper")
    assert info["co_occurs"] and info["co_occurs"][0]["papers"] >= info["co_occurs"][-1]["papers"]


def test_unknown_names_suggest_close_ones(seed_graph):
    with pytest.raises(LookupNotFoundError, match="did you mean"):
        find_entity(seed_graph, "LoRAA")
    with pytest.raises(LookupNotFoundError):
        find_paper(seed_graph, "zzzz no such paper zzzz")
