"""The networkx graph: schema, files, and reading it back."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from kg.errors import GraphNotFoundError
from kg.extract import extract
from kg.graph import build_graph, read_graph, sentence_around, write_graph
from kg.link import LinkOptions, cooccurrences, link_papers
from kg.model import Paper


@pytest.fixture(scope="module")
def small_graph():
    papers = [
        Paper(
            id="p1",
            title="LoRA for Math",
            abstract="We fine-tune LLaMA with LoRA. We evaluate on GSM8K.",
            date="2024-01-02",
        ),
        Paper(
            id="p2",
            title="QLoRA Study",
            abstract="Using LoRA, we train LLaMA and report accuracy on GSM8K.",
            date="2024-02-03",
        ),
        Paper(id="p3", title="Vision", abstract="We train CLIP on LAION-5B."),
    ]
    corpus = extract(papers)
    links = link_papers(corpus, LinkOptions(max_df=1.0, min_weight=0.0))
    return build_graph(corpus, links, cooccurrences(corpus, min_papers=1))


def test_schema(small_graph):
    G = small_graph
    kinds = {d["kind"] for _, d in G.nodes(data=True)}
    assert {"Paper", "Method", "Benchmark"} <= kinds
    p1 = G.nodes["p1"]
    assert p1["title"] == "LoRA for Math" and p1["date"] == "2024-01-02" and p1["year"] == 2024
    lora = G.nodes["method:lora"]
    assert lora["name"] == "LoRA" and lora["type"] == "METHOD" and lora["paper_count"] == 2
    e = G.edges["p1", "benchmark:gsm8k"]
    assert e["kind"] == "MENTIONS" and e["role"] == "evaluates_on" and e["count"] == 1
    assert e["evidence"] == "We evaluate on GSM8K." and 0 < e["confidence"] <= 1
    r = G.edges["p1", "p2"]
    assert r["kind"] == "RELATED" and r["weight"] > 0 and "LoRA" in r["shared"]
    co = G.edges["method:lora", "benchmark:gsm8k"]
    assert co["kind"] == "CO_OCCURS" and co["papers"] == 2


def test_files_round_trip(small_graph, tmp_path):
    files = write_graph(small_graph, tmp_path)
    assert sorted(f.name for f in files) == ["graph.graphml", "graph.json"]
    back = read_graph(tmp_path)
    assert nx.utils.graphs_equal(back, small_graph)
    assert back.nodes["method:lora"] == small_graph.nodes["method:lora"]
    gm = nx.read_graphml(tmp_path / "graph.graphml")
    assert gm.number_of_nodes() == small_graph.number_of_nodes()
    assert gm.number_of_edges() == small_graph.number_of_edges()
    assert "LoRA" in gm.edges["p1", "p2"]["shared"]
    json.loads((tmp_path / "graph.json").read_text())


def test_read_graph_explains_a_missing_build(tmp_path):
    with pytest.raises(GraphNotFoundError, match="kg build"):
        read_graph(tmp_path / "nowhere")
    (tmp_path / "graph.json").write_text("{broken")
    with pytest.raises(GraphNotFoundError, match="not a graph written by kg"):
        read_graph(tmp_path)


def test_sentence_around():
    text = "First sentence. The second one has GSM8K in it! Third."
    s = text.index("GSM8K")
    assert sentence_around(text, s, s + 5) == "The second one has GSM8K in it!"


def test_public_api_reads_the_seed_build(seed_build):
    import kg

    G = kg.read_graph(seed_build)
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "Paper") == 422


@pytest.fixture(scope="module")
def family_graph():
    papers = [
        Paper(
            id="f1", title="Impersonation", abstract="We fine-tune Llama-3.1-8B-Instruct and compare it with Llama 3.1."
        ),
        Paper(id="f2", title="Scaling", abstract="We evaluate Llama 3 and Llama 3.1 on GSM8K."),
        Paper(id="f3", title="Small models", abstract="We distil Llama-3.1-8B-Instruct into a smaller student."),
    ]
    corpus = extract(papers)
    return build_graph(corpus, [], cooccurrences(corpus, min_papers=1))


def test_families_are_variant_of_edges(family_graph):
    G = family_graph
    from kg.graph import variant_edges

    names = {d["name"]: n for n, d in G.nodes(data=True) if d["kind"] != "Paper"}
    instruct, l31, l3 = names["Llama-3.1-8B-Instruct"], names["Llama 3.1"], names["Llama 3"]
    assert set(variant_edges(G)) == {(instruct, l31), (l31, l3)}
    e = G.edges[instruct, l31]
    # one edge for the pair: VARIANT_OF, carrying how many papers mention both (f1)
    assert e["kind"] == "VARIANT_OF" and (e["variant"], e["family"]) == (instruct, l31) and e["papers"] == 1
    assert G.nodes[instruct]["family"] == l31 and "family" not in G.nodes[l3]
    assert not any(d["kind"] == "CO_OCCURS" and {u, v} == {instruct, l31} for u, v, d in G.edges(data=True))


def test_families_survive_json_and_graphml(family_graph, tmp_path):
    write_graph(family_graph, tmp_path)
    back = read_graph(tmp_path)
    assert nx.utils.graphs_equal(back, family_graph)
    assert [d for _, _, d in back.edges(data=True) if d["kind"] == "VARIANT_OF"] == [
        d for _, _, d in family_graph.edges(data=True) if d["kind"] == "VARIANT_OF"
    ]
    gm = nx.read_graphml(tmp_path / "graph.graphml")
    variant = {(d["variant"], d["family"]) for _, _, d in gm.edges(data=True) if d.get("kind") == "VARIANT_OF"}
    from kg.graph import variant_edges

    assert variant == set(variant_edges(family_graph)) and len(variant) == 2
