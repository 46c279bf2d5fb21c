"""Asking the graph questions: statistics, similar papers, one entity.

Pure functions over the :mod:`networkx` graph of :mod:`kg.graph` (``kg stats``,
``kg similar`` and ``kg entity`` are thin wrappers). Names are looked up forgivingly: an
entity by id, name or alias in any case, plural or hyphenation; a paper by id, title or a
distinctive part of its title.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict

import networkx as nx

from kg.errors import LookupNotFoundError
from kg.resolve.keys import normalize
from kg.model import ROLES
from kg.read import title_key

__all__ = ["find_entity", "find_paper", "similar_papers", "entity_info", "graph_stats", "communities", "ENTITY_KINDS"]

ENTITY_KINDS = ("Method", "Dataset", "Benchmark")


def _entities(G: nx.Graph):
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") in ENTITY_KINDS)


def _papers(G: nx.Graph):
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "Paper")


def find_entity(G: nx.Graph, name: str) -> str:
    """The node id of the entity called ``name`` (id, name or alias; case, plural and
    hyphens do not matter). The most mentioned entity wins a tie.

    Raises :class:`~kg.errors.LookupNotFoundError`, suggesting close names.
    """
    if name in G and G.nodes[name].get("kind") in ENTITY_KINDS:
        return name
    key = normalize(name)
    hits = [(d.get("paper_count", 0), n) for n, d in _entities(G)
            if key in {normalize(f) for f in [d.get("name", ""), *d.get("aliases", [])]}]
    if hits:
        return max(hits)[1]
    names = {d.get("name", ""): n for n, d in _entities(G)}
    close = difflib.get_close_matches(name, list(names), n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise LookupNotFoundError(f"no entity named {name!r} in the graph{hint}")


def find_paper(G: nx.Graph, query: str) -> str:
    """The node id of the paper with id ``query``, or whose title is, or contains, it."""
    if query in G and G.nodes[query].get("kind") == "Paper":
        return query
    key = title_key(query)
    exact = [n for n, d in _papers(G) if title_key(d.get("title", "")) == key]
    if exact:
        return exact[0]
    part = [(len(d.get("title", "")), n) for n, d in _papers(G) if key and key in title_key(d.get("title", ""))]
    if part:
        return min(part)[1]
    titles = {d.get("title", ""): n for n, d in _papers(G)}
    close = difflib.get_close_matches(query, list(titles), n=3, cutoff=0.5)
    hint = f"; did you mean: {' | '.join(close)}?" if close else ""
    raise LookupNotFoundError(f"no paper with id or title {query!r} in the graph{hint}")


def similar_papers(G: nx.Graph, paper: str, *, n: int = 10) -> list[dict]:
    """The papers linked to ``paper`` (id or title), heaviest link first, each with the
    shared entities that explain the link."""
    pid = find_paper(G, paper)
    out = []
    for other in G.neighbors(pid):
        d = G.edges[pid, other]
        if d.get("kind") != "RELATED":
            continue
        out.append({"id": other, "title": G.nodes[other].get("title", ""), "weight": d.get("weight", 0.0),
                     "shared": list(d.get("shared", []))})
    out.sort(key=lambda r: (-r["weight"], r["id"]))
    return out[:n]


def entity_info(G: nx.Graph, name: str, *, n_cooccurring: int = 15) -> dict:
    """One entity: its names, its papers grouped by role, and what it co-occurs with."""
    eid = find_entity(G, name)
    d = G.nodes[eid]
    by_role: dict[str, list[dict]] = {r: [] for r in ROLES}
    co = []
    for other in G.neighbors(eid):
        e = G.edges[eid, other]
        o = G.nodes[other]
        if e.get("kind") == "MENTIONS":
            by_role[e.get("role", "mentions")].append({"id": other, "title": o.get("title", ""), "date": o.get("date")})
        elif e.get("kind") == "CO_OCCURS":
            co.append({"id": other, "name": o.get("name", other), "kind": o.get("kind"), "papers": e.get("papers", 0)})
    for papers in by_role.values():
        papers.sort(key=lambda p: (p["date"] or "", p["title"]))
    co.sort(key=lambda c: (-c["papers"], c["name"]))
    return {"id": eid, "name": d.get("name"), "type": d.get("type"), "aliases": list(d.get("aliases", [])),
            "paper_count": d.get("paper_count", 0), "papers": {r: p for r, p in by_role.items() if p},
            "co_occurs": co[:n_cooccurring]}


def _paper_graph(G: nx.Graph) -> nx.Graph:
    P = nx.Graph()
    P.add_nodes_from(n for n, _ in _papers(G))
    P.add_edges_from((u, v, {"weight": d.get("weight", 1.0)}) for u, v, d in G.edges(data=True) if d.get("kind") == "RELATED")
    return P


def communities(G: nx.Graph, *, top: int = 10, label_size: int = 3, seed: int = 0) -> list[dict]:
    """Communities of related papers (Louvain on the weighted RELATED links), largest first,
    each labelled by its most characteristic entities (frequent inside, rare outside)."""
    P = _paper_graph(G)
    if P.number_of_edges() == 0:
        return []
    groups = [c for c in nx.community.louvain_communities(P, weight="weight", seed=seed) if len(c) > 1]
    groups.sort(key=lambda c: (-len(c), min(c)))
    n_papers = max(P.number_of_nodes(), 2)
    out = []
    for i, members in enumerate(groups[:top]):
        counts: Counter = Counter()
        for p in members:
            for e in G.neighbors(p):
                if G.nodes[e].get("kind") in ENTITY_KINDS:
                    counts[e] += 1
        score = {e: c * math.log(n_papers / max(G.nodes[e].get("paper_count", 1), 1)) for e, c in counts.items() if c > 1}
        label = [G.nodes[e].get("name", e) for e, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:label_size]]
        out.append({"community": i, "size": len(members), "label": label, "papers": sorted(members)})
    return out


def graph_stats(G: nx.Graph, *, top: int = 10) -> dict:
    """Counts by type, top entities per type, most linked papers, connected components and
    communities of the paper graph."""
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    edges = Counter(d.get("kind") for _, _, d in G.edges(data=True))
    top_entities = defaultdict(list)
    for n, d in sorted(_entities(G), key=lambda nd: (-nd[1].get("paper_count", 0), nd[1].get("name", ""))):
        if len(top_entities[d["kind"]]) < top:
            top_entities[d["kind"]].append({"id": n, "name": d.get("name"), "papers": d.get("paper_count", 0)})
    P = _paper_graph(G)
    linked = sorted(((P.degree(n, weight="weight"), P.degree(n), n) for n in P), key=lambda t: (-t[0], t[2]))[:top]
    comps = sorted((len(c) for c in nx.connected_components(P)), reverse=True)
    n_papers = kinds.get("Paper", 0)
    return {
        "nodes": dict(kinds),
        "edges": dict(edges),
        "links_per_paper": round(2 * edges.get("RELATED", 0) / n_papers, 2) if n_papers else 0.0,
        "top_entities": {k: top_entities.get(k, []) for k in ENTITY_KINDS},
        "most_linked_papers": [{"id": n, "title": G.nodes[n].get("title", ""), "links": deg, "weight": round(w, 3)}
                               for w, deg, n in linked],
        "components": {"count": len(comps), "largest": comps[0] if comps else 0,
                       "isolated_papers": sum(1 for c in comps if c == 1)},
        "communities": communities(G, top=top),
    }
