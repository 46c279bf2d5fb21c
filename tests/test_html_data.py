"""What the page knows about the whole build (no browser): the index, communities, families,
the overview and the choice between a full page and an overview."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from kg.export.html import choose_mode, select_view, to_html
from kg.export.html_data import KINDS, PALETTE, ROLE_ORDER, node_communities, overview, page_index


def _page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


def test_index_covers_every_paper_and_entity(seed_graph):
    community, comms = node_communities(seed_graph)
    ix = page_index(seed_graph, community)
    n = seed_graph.number_of_nodes()
    P = ix["n_papers"]
    assert len(ix["id"]) == len(ix["name"]) == len(ix["kind"]) == len(ix["count"]) == len(ix["comm"]) == n
    assert len(ix["date"]) == len(ix["link"]) == len(ix["ment"]) == len(ix["rel"]) == P
    assert len(ix["co"]) == n - P
    at = {node: i for i, node in enumerate(ix["id"])}
    # every mention, with its role
    mentions = sorted(
        (u, v, d["role"]) if seed_graph.nodes[u]["kind"] == "Paper" else (v, u, d["role"])
        for u, v, d in seed_graph.edges(data=True)
        if d["kind"] == "MENTIONS"
    )
    got = sorted(
        (ix["id"][p], ix["id"][lst[k]], ROLE_ORDER[lst[k + 1]])
        for p, lst in enumerate(ix["ment"])
        for k in range(0, len(lst), 2)
    )
    assert got == mentions
    # related papers heaviest first, with the shared entities as node indices
    for p in range(P):
        weights = [r[1] for r in ix["rel"][p]]
        assert weights == sorted(weights, reverse=True)
        for r in ix["rel"][p]:
            d = seed_graph.edges[ix["id"][p], ix["id"][r[0]]]
            assert d["kind"] == "RELATED" and r[1] == round(1000 * d["weight"])
            assert {ix["name"][e].lower() for e in r[2:]} <= {s.lower() for s in d["shared"]}
    with_shared = [r for rs in ix["rel"] for r in rs if len(r) > 2]
    assert len(with_shared) > 0.9 * sum(len(rs) for rs in ix["rel"])
    lora = at["method:lora"]
    assert ix["kind"][lora] == KINDS.index("Method") and "Low-Rank Adaptation" in ix["aliases"][str(lora)]
    assert ix["count"][lora] == seed_graph.nodes["method:lora"]["paper_count"]
    # communities: colours from the palette, every member of a community marked
    assert [c["color"] for c in comms] == list(PALETTE[: len(comms)])
    assert all(ix["comm"][at[node]] == k for node, k in community.items())
    # families: a variant's index points at its family's, as the graph's VARIANT_OF edges say
    variant_of = {
        (u, v) if d.get("variant") == u else (v, u)
        for u, v, d in seed_graph.edges(data=True)
        if d["kind"] == "VARIANT_OF"
    }
    assert {(ix["id"][int(k)], ix["id"][v]) for k, v in ix["family"].items()} == variant_of


def test_family_from_variant_edges_or_attribute():
    G = nx.Graph()
    for n, name in [("m:gpt", "GPT"), ("m:gpt-4", "GPT-4"), ("m:llama", "Llama"), ("m:l2", "Llama 2"), ("m:x", "X")]:
        G.add_node(n, kind="Method", name=name, paper_count=1)
    G.add_edge("m:gpt-4", "m:gpt", kind="VARIANT_OF")  # direction from the names
    G.add_edge("m:l2", "m:llama", kind="VARIANT_OF", family="m:llama")  # said on the edge
    G.nodes["m:x"]["family"] = "gpt"  # a family attribute, by name
    ix = page_index(G)
    at = {n: i for i, n in enumerate(ix["id"])}
    fam = {ix["id"][int(v)]: ix["id"][f] for v, f in ix["family"].items()}
    assert fam == {"m:gpt-4": "m:gpt", "m:l2": "m:llama", "m:x": "m:gpt"}
    assert str(at["m:gpt"]) not in ix["family"]


def test_overview_keeps_the_biggest_entities_and_their_strongest_links(seed_graph):
    o = overview(seed_graph, size=50, edges_per_node=4)
    counts = sorted(
        (d.get("paper_count", 0) for n, d in seed_graph.nodes(data=True) if d.get("kind") in KINDS[1:]), reverse=True
    )
    assert len(o.nodes) == 50 and set(o.pos) == set(o.nodes)
    assert sorted((seed_graph.nodes[n]["paper_count"] for n in o.nodes), reverse=True) == counts[:50]
    keep = set(o.nodes)
    assert all(u in keep and v in keep and seed_graph.edges[u, v]["kind"] == "CO_OCCURS" for u, v, _ in o.edges)
    assert o == overview(seed_graph, size=50, edges_per_node=4)  # deterministic


def test_mode_follows_the_threshold(seed_graph):
    n = len(select_view(seed_graph, "paper-entity", max_nodes=10**9).nodes)
    assert choose_mode(seed_graph, max_nodes=n) == "full"
    assert choose_mode(seed_graph, max_nodes=n - 1) == "overview"
    small = _page_data(to_html(seed_graph, max_nodes=n))
    big = _page_data(to_html(seed_graph, max_nodes=n - 1, overview_size=25))
    assert (small["mode"], small["renderer"], len(small["draw"]["nodes"])) == ("full", "vis", n)
    assert (big["mode"], big["renderer"], len(big["draw"]["nodes"])) == ("overview", "sigma", 25)
    # both know the whole build
    assert len(small["index"]["id"]) == len(big["index"]["id"]) == seed_graph.number_of_nodes()
    with pytest.raises(ValueError):
        to_html(seed_graph, renderer="canvas")


def test_sigma_bundle_is_built_from_the_pinned_packages():
    """kg-sigma.min.js is committed; its header must name the versions vendor-src pins (rerun
    scripts/vendor-js.sh after changing them), and it must be inlinable."""
    from importlib import resources

    from conftest import ROOT

    src = ROOT / "kg" / "export" / "assets" / "vendor-src"  # in the repository, not installed
    pins = json.loads((src / "package.json").read_text())["dependencies"]
    lock = json.loads((src / "package-lock.json").read_text())["packages"]
    bundle = resources.files("kg.export").joinpath("assets", "kg-sigma.min.js").read_text(encoding="utf-8")
    header = bundle.splitlines()[0]
    for name, version in pins.items():
        assert lock[f"node_modules/{name}"]["version"] == version
        assert f"{name} {version}" in header
    assert "</script" not in bundle.lower() and "window.KGSigma" in bundle
