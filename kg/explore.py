"""Asking the graph questions: statistics, similar papers, one entity.

Pure functions over the :mod:`networkx` graph of :mod:`kg.graph` (``kg stats``,
``kg similar`` and ``kg entity`` are thin wrappers). Names are looked up forgivingly: an
entity by id, name or alias in any case, plural or hyphenation; a paper by id, title or a
distinctive part of its title. A name that fits several entities or papers equally well is
an :class:`AmbiguousNameError` listing them (unless ``first=True`` takes the best known):
kg never answers silently for one of several candidates.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter, defaultdict

import networkx as nx

from kg.errors import LookupNotFoundError
from kg.model import ROLES
from kg.read import title_key
from kg.resolve.keys import entity_key, normalize
from kg.schema import CO_OCCURS, ENTITY_LABELS, MENTIONS, PAPER, RELATED, VARIANT_OF

__all__ = [
    "find_entity",
    "find_entities",
    "find_paper",
    "find_papers",
    "similar_papers",
    "entity_info",
    "graph_stats",
    "communities",
    "resolution_stats",
    "AmbiguousNameError",
    "ENTITY_KINDS",
]

ENTITY_KINDS = ENTITY_LABELS


class AmbiguousNameError(LookupNotFoundError):
    """A name fits several entities or papers equally well; ``candidates`` lists them."""

    code = "E302"

    def __init__(self, message: str, candidates: list[dict]):
        super().__init__(message)
        self.candidates = candidates


def _entities(G: nx.Graph):
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") in ENTITY_KINDS)


def _papers(G: nx.Graph):
    return ((n, d) for n, d in G.nodes(data=True) if d.get("kind") == PAPER)


def find_entities(G: nx.Graph, name: str) -> list[str]:
    """Every entity ``name`` fits best, most mentioned first: the entity with that id, else
    those with exactly that name, else with exactly that alias, else those whose name or an
    alias is the same up to case, plural, hyphens or a head word ("BERT model")."""
    if name in G and G.nodes[name].get("kind") in ENTITY_KINDS:
        return [name]
    key, loose = normalize(name), entity_key(name)
    exact, alias, near = [], [], []
    for n, d in _entities(G):
        forms = [d.get("name", ""), *d.get("aliases", [])]
        if forms[0] == name:
            exact.append(n)
        elif name in forms[1:]:
            alias.append(n)
        elif any(normalize(f) == key or entity_key(f) == loose for f in forms):
            near.append(n)
    hits = exact or alias or near
    return sorted(hits, key=lambda n: (-G.nodes[n].get("paper_count", 0), n))


def _ambiguous(what: str, query: str, rows: list[dict], describe) -> AmbiguousNameError:
    shown = "\n".join("  " + describe(r) for r in rows[:15])
    more = f"\n  ... and {len(rows) - 15} more" if len(rows) > 15 else ""
    return AmbiguousNameError(
        f"{query!r} fits {len(rows)} {what}; give a more exact name or an id "
        f"(or --first for the first below):\n{shown}{more}",
        rows,
    )


def find_entity(G: nx.Graph, name: str, *, first: bool = False) -> str:
    """The node id of the entity called ``name`` (see :func:`find_entities`).

    Raises :class:`AmbiguousNameError` when several fit equally well (unless ``first``: the
    most mentioned), :class:`~kg.errors.LookupNotFoundError` suggesting close names when none does.
    """
    hits = find_entities(G, name)
    if len(hits) == 1 or (hits and first):
        return hits[0]
    if hits:
        rows = [
            {
                "id": n,
                "name": G.nodes[n].get("name"),
                "type": G.nodes[n].get("type"),
                "papers": G.nodes[n].get("paper_count", 0),
            }
            for n in hits
        ]
        raise _ambiguous(
            "entities", name, rows, lambda r: f"{r['id']}  {r['name']} ({r['type']}, {r['papers']} papers)"
        )
    names = {d.get("name", ""): n for n, d in _entities(G)}
    close = difflib.get_close_matches(name, list(names), n=5, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise LookupNotFoundError(f"no entity named {name!r} in the graph{hint}")


def find_papers(G: nx.Graph, query: str) -> list[str]:
    """Every paper ``query`` fits best: the paper with that id, else those with exactly that
    title, else those whose title contains it (shortest title first)."""
    if query in G and G.nodes[query].get("kind") == PAPER:
        return [query]
    key = title_key(query)
    exact = sorted(n for n, d in _papers(G) if title_key(d.get("title", "")) == key)
    if exact:
        return exact
    part = sorted((len(d.get("title", "")), n) for n, d in _papers(G) if key and key in title_key(d.get("title", "")))
    return [n for _, n in part]


def find_paper(G: nx.Graph, query: str, *, first: bool = False) -> str:
    """The node id of the paper with id ``query``, or whose title is, or contains, it.

    Raises :class:`AmbiguousNameError` when several titles fit (unless ``first``: the
    shortest title), :class:`~kg.errors.LookupNotFoundError` when none does.
    """
    hits = find_papers(G, query)
    if len(hits) == 1 or (hits and first):
        return hits[0]
    if hits:
        rows = [
            {
                "id": n,
                "title": G.nodes[n].get("title", ""),
                "date": G.nodes[n].get("date"),
                "links": sum(1 for m in G.neighbors(n) if G.edges[n, m].get("kind") == RELATED),
            }
            for n in hits
        ]
        raise _ambiguous(
            "papers",
            query,
            rows,
            lambda r: f"{r['id']}  {r['title'][:80]} ({r['date'] or 'no date'}, {r['links']} links)",
        )
    titles = {d.get("title", ""): n for n, d in _papers(G)}
    close = difflib.get_close_matches(query, list(titles), n=3, cutoff=0.5)
    hint = f"; did you mean: {' | '.join(close)}?" if close else ""
    raise LookupNotFoundError(f"no paper with id or title {query!r} in the graph{hint}")


def similar_papers(G: nx.Graph, paper: str, *, n: int = 10, first: bool = False) -> list[dict]:
    """The papers linked to ``paper`` (id or title, see :func:`find_paper`), heaviest link
    first, each with the shared entities that explain the link."""
    pid = find_paper(G, paper, first=first)
    out = []
    for other in G.neighbors(pid):
        d = G.edges[pid, other]
        if d.get("kind") != RELATED:
            continue
        out.append(
            {
                "id": other,
                "title": G.nodes[other].get("title", ""),
                "weight": d.get("weight", 0.0),
                "shared": list(d.get("shared", [])),
            }
        )
    out.sort(key=lambda r: (-r["weight"], r["id"]))
    return out[:n]


def _variants(G: nx.Graph) -> dict[str, list[str]]:
    """Family id -> the ids of its direct variants."""
    out: dict[str, list[str]] = defaultdict(list)
    for _u, _v, d in G.edges(data=True):
        if d.get("kind") == VARIANT_OF:
            out[d["family"]].append(d["variant"])
    return out


def entity_info(G: nx.Graph, name: str, *, n_cooccurring: int = 15, first: bool = False, family: bool = False) -> dict:
    """One entity: its names, its papers grouped by role, what it co-occurs with, and its
    family: ``family`` (the chain of entities it is a variant of, nearest first),
    ``variants`` (every variant below it, with depth and papers) and ``family_paper_count``
    (papers mentioning it or any variant). With ``family=True`` the papers by role are
    those of the whole family ("papers using any Llama 3 model"), each with the model it
    mentions.
    """
    eid = find_entity(G, name, first=first)
    d = G.nodes[eid]
    children = _variants(G)
    chain, up = [], d.get("family")
    while up and up in G and up not in chain and up != eid:
        chain.append(up)
        up = G.nodes[up].get("family")
    below: list[tuple[str, int]] = []
    stack = [(c, 1) for c in sorted(children.get(eid, []))]
    seen = {eid}
    while stack:
        c, depth = stack.pop(0)
        if c in seen:
            continue
        seen.add(c)
        below.append((c, depth))
        stack.extend((g, depth + 1) for g in sorted(children.get(c, [])))
    members = [eid] + [c for c, _ in below] if family else [eid]
    by_role: dict[str, list[dict]] = {r: [] for r in ROLES}
    papers_of_family: set[str] = set()
    listed: dict[str, dict] = {}
    for member in [eid] + [c for c, _ in below]:
        for other in G.neighbors(member):
            e = G.edges[member, other]
            if e.get("kind") != MENTIONS:
                continue
            papers_of_family.add(other)
            if member not in members:
                continue
            role = e.get("role", "mentions")
            row = listed.get(other)
            if row is None or ROLES.index(role) < ROLES.index(row["role"]):
                o = G.nodes[other]
                listed[other] = {
                    "id": other,
                    "title": o.get("title", ""),
                    "date": o.get("date"),
                    "role": role,
                    "via": G.nodes[member].get("name", member),
                }
    for row in listed.values():
        role = row.pop("role")
        if not family:
            row.pop("via")
        by_role[role].append(row)
    co = []
    for other in G.neighbors(eid):
        e = G.edges[eid, other]
        if e.get("kind") == CO_OCCURS:
            o = G.nodes[other]
            co.append({"id": other, "name": o.get("name", other), "kind": o.get("kind"), "papers": e.get("papers", 0)})
    for papers in by_role.values():
        papers.sort(key=lambda p: (p["date"] or "", p["title"]))
    co.sort(key=lambda c: (-c["papers"], c["name"]))
    return {
        "id": eid,
        "name": d.get("name"),
        "type": d.get("type"),
        "aliases": list(d.get("aliases", [])),
        "paper_count": d.get("paper_count", 0),
        "papers": {r: p for r, p in by_role.items() if p},
        "co_occurs": co[:n_cooccurring],
        "family": [{"id": f, "name": G.nodes[f].get("name", f)} for f in chain],
        "variants": [
            {"id": c, "name": G.nodes[c].get("name", c), "depth": depth, "papers": G.nodes[c].get("paper_count", 0)}
            for c, depth in below
        ],
        "family_paper_count": len(papers_of_family),
    }


def _paper_graph(G: nx.Graph) -> nx.Graph:
    P = nx.Graph()
    P.add_nodes_from(n for n, _ in _papers(G))
    P.add_edges_from(
        (u, v, {"weight": d.get("weight", 1.0)}) for u, v, d in G.edges(data=True) if d.get("kind") == RELATED
    )
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
        score = {
            e: c * math.log(n_papers / max(G.nodes[e].get("paper_count", 1), 1)) for e, c in counts.items() if c > 1
        }
        label = [
            G.nodes[e].get("name", e) for e, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))[:label_size]
        ]
        out.append({"community": i, "size": len(members), "label": label, "papers": sorted(members)})
    return out


def resolution_stats(G: nx.Graph, *, examples: int = 50) -> dict:
    """How well the graph keeps one node per real thing (issue 14's measures):

    ``several_ids``: (name, type) pairs held by more than one entity; ``alias_is_other_name``:
    entities with an alias that is exactly another entity's name (true homonyms such as
    LoRA/LoRa should be all that is left); ``variants``: entities with a ``VARIANT_OF``
    family, and ``families``: entities that are one. Up to ``examples`` of each are listed.
    """
    by_name: dict[tuple[str, str], list[str]] = defaultdict(list)
    named: dict[str, list[str]] = defaultdict(list)
    ents = list(_entities(G))
    for n, d in ents:
        by_name[(d.get("name", ""), d.get("type", ""))].append(n)
        named[d.get("name", "")].append(n)
    several = sorted(((k, sorted(v)) for k, v in by_name.items() if len(v) > 1), key=lambda kv: kv[0])
    homonyms = []
    for n, d in sorted(ents, key=lambda nd: (-nd[1].get("paper_count", 0), nd[0])):
        others = sorted({o for a in d.get("aliases", []) for o in named.get(a, []) if o != n})
        if others:
            homonyms.append(
                {
                    "id": n,
                    "name": d.get("name"),
                    "papers": d.get("paper_count", 0),
                    "aliases": [a for a in d.get("aliases", []) if any(o != n for o in named.get(a, []))],
                    "other": [
                        {"id": o, "name": G.nodes[o].get("name"), "papers": G.nodes[o].get("paper_count", 0)}
                        for o in others
                    ],
                }
            )
    variants = sorted(n for n, d in ents if d.get("family"))
    families = sorted({d["family"] for n, d in ents if d.get("family")})
    return {
        "entities": len(ents),
        "several_ids": {
            "count": len(several),
            "examples": [{"name": k[0], "type": k[1], "ids": v} for k, v in several[:examples]],
        },
        "alias_is_other_name": {"count": len(homonyms), "examples": homonyms[:examples]},
        "variants": len(variants),
        "families": len(families),
    }


def graph_stats(G: nx.Graph, *, top: int = 10) -> dict:
    """Counts by type, top entities per type, most linked papers, connected components and
    communities of the paper graph."""
    kinds = Counter(d.get("kind") for _, d in G.nodes(data=True))
    edges = Counter(d.get("kind") for _, _, d in G.edges(data=True))
    top_entities: defaultdict[str, list] = defaultdict(list)
    for n, d in sorted(_entities(G), key=lambda nd: (-nd[1].get("paper_count", 0), nd[1].get("name", ""))):
        if len(top_entities[d["kind"]]) < top:
            top_entities[d["kind"]].append({"id": n, "name": d.get("name"), "papers": d.get("paper_count", 0)})
    P = _paper_graph(G)
    linked = sorted(((P.degree(n, weight="weight"), P.degree(n), n) for n in P), key=lambda t: (-t[0], t[2]))[:top]
    comps = sorted((len(c) for c in nx.connected_components(P)), reverse=True)
    n_papers = kinds.get(PAPER, 0)
    return {
        "nodes": dict(kinds),
        "edges": dict(edges),
        "links_per_paper": round(2 * edges.get(RELATED, 0) / n_papers, 2) if n_papers else 0.0,
        "top_entities": {k: top_entities.get(k, []) for k in ENTITY_KINDS},
        "most_linked_papers": [
            {"id": n, "title": G.nodes[n].get("title", ""), "links": deg, "weight": round(w, 3)} for w, deg, n in linked
        ],
        "components": {
            "count": len(comps),
            "largest": comps[0] if comps else 0,
            "isolated_papers": sum(1 for c in comps if c == 1),
        },
        "communities": communities(G, top=top),
        "resolution": resolution_stats(G, examples=top),
    }
