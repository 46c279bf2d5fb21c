"""What the HTML page knows about the whole build, in compact arrays (pure functions).

The page draws only part of a big graph, but its search, details panel and "expand" work
over everything. :func:`page_index` turns the graph into columns that JavaScript reads
directly: one position per node (papers first, then entities), integers instead of repeated
ids, and adjacency lists per node. The 74,728-paper build fits in about 25 MB this way.

:func:`overview` picks what a big build's page opens on: the most mentioned entities and
their strongest co-occurrences, laid out here once so that the browser does not have to.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import networkx as nx

from kg.schema import CO_OCCURS, ENTITY_LABELS, MENTIONS, PAPER, RELATED, VARIANT_OF

__all__ = [
    "KINDS",
    "ROLE_ORDER",
    "PALETTE",
    "OTHER_COLOR",
    "node_communities",
    "page_index",
    "overview",
    "Overview",
    "node_size",
]

#: node kinds by their index in the page's ``kind`` column
KINDS = (PAPER, *ENTITY_LABELS)
#: roles by their index in the page's mention lists, in the order the panel shows them
ROLE_ORDER = ("introduces", "evaluates_on", "compares_with", "uses", "mentions")
#: community colours (Tableau 10 and four more), "other" grey last
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#8c564b",
    "#bcbd22",
)
OTHER_COLOR = "#c5ccd3"
_MAX_RELATED = 12
_MAX_COOCCURS = 12


def node_size(kind: str, count: int, *, cap: int = 144) -> float:
    """Drawn radius of a node: entities grow with their papers up to ``cap`` papers, papers
    with their links up to 25 (square root, so that a hub does not cover the map). An
    overview passes its biggest entity's papers as ``cap``: sizes stay apart among the
    entities in most papers. The page uses the same rule for nodes it adds.

    >>> node_size("Method", 0), node_size("Method", 100), node_size("Paper", 9)
    (8.0, 48.0, 17.0)
    >>> node_size("Method", 100, cap=400)
    32.0
    """
    if kind == PAPER:
        return round(8 + 3 * math.sqrt(min(max(count, 0), 25)), 1)
    cap = max(cap, 1)
    return round(8 + 48 * math.sqrt(min(max(count, 0), cap) / cap), 1)


def node_communities(G: nx.Graph, *, top: int = len(PALETTE), seed: int = 0) -> tuple[dict[str, int], list[dict]]:
    """Louvain communities of related papers (:func:`kg.explore.communities`), the ``top``
    largest kept, and each entity placed in the community most of its papers belong to.

    Returns ``(community of each node, communities)``; nodes outside the ``top`` have none.
    Each community: ``{"label": [top entity names], "papers": n, "color": "#..."}``.
    """
    from kg.explore import communities

    groups = communities(G, top=top, label_size=3, seed=seed)
    of: dict[str, int] = {}
    out = []
    for i, c in enumerate(groups):
        for p in c["papers"]:
            of[p] = i
        out.append({"label": list(c["label"]), "papers": c["size"], "color": PALETTE[i % len(PALETTE)]})
    votes: dict[str, Counter] = defaultdict(Counter)
    for u, v, d in G.edges(data=True):
        if d.get("kind") == MENTIONS:
            paper, entity = (u, v) if G.nodes[u].get("kind") == PAPER else (v, u)
            if paper in of:
                votes[entity][of[paper]] += 1
    for entity, c in votes.items():
        ((best, n),) = c.most_common(1)
        if 2 * n >= sum(c.values()) or len(c) == 1:  # a clear majority, else no community
            of[entity] = best
    return of, out


def _link(d: dict) -> str:
    """The web address of a paper: its URL, else its DOI's; empty when there is none, and
    for an ``arxiv:`` id, whose page the browser derives (``https://arxiv.org/abs/ID``)."""
    if d.get("url"):
        return str(d["url"])
    if d.get("doi"):
        return "https://doi.org/" + str(d["doi"])
    return ""


def _families(G: nx.Graph, index: dict[str, int]) -> dict[int, int]:
    """Entity -> its family, from a ``family`` node attribute or ``VARIANT_OF`` edges.

    The graph is undirected, so an edge says which end is the family only through a
    ``family`` edge attribute; without one, the end whose name starts the other's name
    (``GPT`` for ``GPT-4``), then the one in more papers, is taken as the family.
    """
    out: dict[int, int] = {}
    by_name = {str(d.get("name", "")).lower(): n for n, d in G.nodes(data=True) if d.get("kind") in KINDS[1:]}
    for n, d in G.nodes(data=True):
        fam = d.get("family")
        if fam and n in index:
            target = fam if fam in index else by_name.get(str(fam).lower())
            if target in index and target != n:
                out[index[n]] = index[target]
    for u, v, d in G.edges(data=True):
        if d.get("kind") != VARIANT_OF or u not in index or v not in index:
            continue
        fam = d.get("family")
        if fam in (u, v):
            family = fam
        else:
            nu, nv = str(G.nodes[u].get("name", u)).lower(), str(G.nodes[v].get("name", v)).lower()
            if nv.startswith(nu) != nu.startswith(nv):
                family = u if nv.startswith(nu) else v
            else:
                family = max((u, v), key=lambda x: (G.nodes[x].get("paper_count", 0), x))
        variant = v if family == u else u
        out.setdefault(index[variant], index[family])
    return out


def page_index(G: nx.Graph, community: dict[str, int] | None = None) -> dict:
    """Every paper and entity of ``G`` as columns the page reads (see the module docstring).

    Columns, one value per node (papers first): ``id``, ``name`` (a paper's title),
    ``kind`` (index into :data:`KINDS`), ``count`` (papers of an entity, links of a paper),
    ``date`` and ``link`` (papers; empty for an ``arxiv:`` id without URL or DOI), ``comm`` (community or -1). Sparse maps: ``aliases``,
    ``family``. Adjacency: ``ment[p]`` = ``[entity, role, ...]`` for each paper,
    ``rel[p]`` = ``[[paper, weight x 1000, shared entity...], ...]`` (heaviest first),
    ``co[e]`` = ``[other entity, papers, ...]`` for each entity (most papers first).

    >>> G = nx.Graph()
    >>> G.add_node("p1", kind="Paper", title="A", date="2024-01-02")
    >>> G.add_node("method:x", kind="Method", name="X", aliases=["ex"], paper_count=1)
    >>> G.add_edge("p1", "method:x", kind="MENTIONS", role="uses")
    >>> ix = page_index(G)
    >>> ix["id"], ix["kind"], ix["ment"], ix["aliases"]
    (['p1', 'method:x'], [0, 1], [[1, 3]], {'1': ['ex']})
    """
    community = community or {}
    papers = [n for n, d in G.nodes(data=True) if d.get("kind") == PAPER]
    entities = [n for n, d in G.nodes(data=True) if d.get("kind") in KINDS[1:]]
    order = papers + entities
    index = {n: i for i, n in enumerate(order)}
    role_of = {r: i for i, r in enumerate(ROLE_ORDER)}
    ment: list[list[int]] = [[] for _ in papers]
    rel: list[list] = [[] for _ in papers]
    co: list[list] = [[] for _ in entities]
    names_of_paper: list[dict[str, int]] = [{} for _ in papers]
    n_papers = len(papers)
    for u, v, d in G.edges(data=True):
        kind = d.get("kind")
        if u not in index or v not in index:
            continue
        if kind == MENTIONS:
            p, e = (u, v) if index[u] < n_papers else (v, u)
            ip, ie = index[p], index[e]
            ment[ip] += [ie, role_of.get(d.get("role", "mentions"), len(ROLE_ORDER) - 1)]
            names_of_paper[ip][str(G.nodes[e].get("name", e)).lower()] = ie
        elif kind == CO_OCCURS:
            a, b = index[u] - n_papers, index[v] - n_papers
            co[a].append((d.get("papers", 0), index[v]))
            co[b].append((d.get("papers", 0), index[u]))
    related: list[list] = [[] for _ in papers]
    for u, v, d in G.edges(data=True):
        if d.get("kind") == RELATED and u in index and v in index:
            w = float(d.get("weight", 0.0) or 0.0)
            related[index[u]].append((w, index[v], d.get("shared", [])))
            related[index[v]].append((w, index[u], d.get("shared", [])))
    for ip, links in enumerate(related):
        links.sort(key=lambda t: (-t[0], t[1]))
        for w, other, shared in links[:_MAX_RELATED]:
            known = {**names_of_paper[other], **names_of_paper[ip]}
            ids = [known[s.lower()] for s in shared if s.lower() in known]
            rel[ip].append([other, round(1000 * w), *ids])
    for ie, pairs in enumerate(co):
        pairs.sort(key=lambda t: (-t[0], t[1]))
        co[ie] = [x for papers_, other in pairs[:_MAX_COOCCURS] for x in (other, papers_)]
    attrs = [G.nodes[n] for n in order]
    kind_of = {k: i for i, k in enumerate(KINDS)}
    return {
        "id": order,
        "name": [
            str(d.get("title") or n) if i < n_papers else str(d.get("name") or n)
            for i, (n, d) in enumerate(zip(order, attrs, strict=True))
        ],
        "kind": [kind_of[d.get("kind")] for d in attrs],
        "count": [len(related[i]) + len(ment[i]) // 2 for i in range(n_papers)]
        + [int(d.get("paper_count", 0) or 0) for d in attrs[n_papers:]],
        "date": [str(d.get("date") or "") for d in attrs[:n_papers]],
        "link": [_link(d) for d in attrs[:n_papers]],
        "n_related": [len(r) for r in related],
        "comm": [community.get(n, -1) for n in order],
        "aliases": {
            str(i + n_papers): list(d.get("aliases") or [])[:20]
            for i, d in enumerate(attrs[n_papers:])
            if d.get("aliases")
        },
        "family": {str(k): v for k, v in _families(G, index).items()},
        "ment": ment,
        "rel": rel,
        "co": co,
        "n_papers": n_papers,
    }


@dataclass
class Overview:
    """The opening picture of a big build: node ids, positions, sizes, edges ``(u, v, papers)``."""

    nodes: list[str]
    pos: dict[str, tuple[float, float]]
    edges: list[tuple[str, str, int]]


def overview(
    G: nx.Graph, *, size: int = 300, edges_per_node: int = 6, community: dict[str, int] | None = None, seed: int = 0
) -> Overview:
    """The ``size`` entities in most papers and, for each, its ``edges_per_node`` strongest
    co-occurrences among them, placed by a force layout (Fruchterman-Reingold, weighted by
    shared papers) so that entities used together sit together.

    With ``community`` (node -> community), each entity is also tied, for the layout only,
    to a hub of its community: communities form regions of the map (as in Gephi) and an
    entity without co-occurrences is not thrown to the edge of the picture.

    >>> G = nx.Graph()
    >>> for i in range(5):
    ...     G.add_node(f"m{i}", kind="Method", name=f"M{i}", paper_count=10 - i)
    >>> G.add_edge("m0", "m1", kind="CO_OCCURS", papers=3)
    >>> o = overview(G, size=3)
    >>> o.nodes, o.edges
    (['m0', 'm1', 'm2'], [('m0', 'm1', 3)])
    """
    community = community or {}
    ranked = sorted(
        (n for n, d in G.nodes(data=True) if d.get("kind") in KINDS[1:]),
        key=lambda n: (-(G.nodes[n].get("paper_count", 0) or 0), str(n)),
    )
    nodes = ranked[:size]
    keep = set(nodes)
    chosen: set[tuple[str, str]] = set()
    for n in nodes:
        strongest = sorted(
            ((d.get("papers", 0), m) for m, d in G.adj[n].items() if d.get("kind") == CO_OCCURS and m in keep),
            key=lambda t: (-t[0], str(t[1])),
        )
        for _, m in strongest[:edges_per_node]:
            chosen.add((n, m) if str(n) < str(m) else (m, n))
    edges = sorted((u, v, int(G.edges[u, v].get("papers", 0))) for u, v in chosen)
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_weighted_edges_from((u, v, math.log1p(p)) for u, v, p in edges)
    if community:
        for n in nodes:
            H.add_edge(n, ("hub", community.get(n, -1)), weight=0.6)
    scale = 40 * math.sqrt(max(len(nodes), 1))
    pos = nx.spring_layout(H, seed=seed, weight="weight", iterations=100, scale=scale) if nodes else {}
    return Overview(
        nodes=nodes, pos={n: (round(float(pos[n][0]), 1), round(float(pos[n][1]), 1)) for n in nodes}, edges=edges
    )
