"""The page's starting layout, without a browser: deterministic, and neighbours start close."""

from __future__ import annotations

import math

import networkx as nx

from kg.export.html import View, initial_positions


def _view(G: nx.Graph) -> View:
    return View(nodes=list(G), edges=[(a, b, {}) for a, b in G.edges], omitted=0, degree=dict(G.degree))


def test_starting_points_are_deterministic_and_keep_clusters_together():
    # two dense clusters joined by one edge, plus an isolated node
    G = nx.disjoint_union(nx.complete_graph(15), nx.complete_graph(15))
    G = nx.relabel_nodes(G, str)
    G.add_edge("0", "15")
    G.add_node("lonely")
    v = _view(G)
    pos = initial_positions(v)
    assert pos == initial_positions(v) and set(pos) == set(G)

    def mean_dist(pairs):
        pairs = list(pairs)
        return sum(math.dist(pos[a], pos[b]) for a, b in pairs) / len(pairs)

    inside = mean_dist((str(a), str(b)) for a in range(15) for b in range(a + 1, 15))
    across = mean_dist((str(a), str(b)) for a in range(15) for b in range(15, 30))
    assert inside < across / 3
    # spread over a disc that grows with the graph, not piled on one point
    radius = max(math.hypot(*p) for p in pos.values())
    assert 0.9 * 25 * math.sqrt(len(G)) <= radius <= 1.1 * 25 * math.sqrt(len(G))


def test_no_nodes_no_positions():
    assert initial_positions(View(nodes=[], edges=[], omitted=0, degree={})) == {}
