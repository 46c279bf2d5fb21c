"""The interactive HTML page: one self-contained file built with pyvis and vis-network.

Three views of the graph (:data:`VIEWS`): papers and what they mention (default), papers
linked to papers, and entities that occur together. The page works offline from a
``file://`` URL: vis-network (shipped inside pyvis) is inlined, nothing is fetched, and a
Content-Security-Policy forbids fetching anything. Every text from the input travels as
JSON inside a ``<script type="application/json">`` block (with ``<``, ``>`` and ``&``
escaped) and reaches the page only through ``textContent`` -- an abstract holding
``<script>`` shows as text and runs nothing.

Building the page uses pyvis's own data model (:class:`pyvis.network.Network`), filled in
bulk rather than through ``add_node``/``add_edge``, which check for duplicates by scanning
lists and so take quadratic time (about a minute for 10k nodes and 50k edges).
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import resources
from itertools import islice
from pathlib import Path

import jinja2
import networkx as nx
from markupsafe import Markup
import pyvis
from pyvis.network import Network

from kg.atomic import atomic_write

__all__ = ["VIEWS", "DEFAULT_MAX_NODES", "View", "select_view", "to_html", "write_html", "STYLES"]

VIEWS = ("paper-entity", "paper-paper", "entity")
DEFAULT_MAX_NODES = 1500

#: colour, vis-network shape and legend swatch of each node kind
STYLES = {
    "Paper": {"color": "#9aa5b1", "shape": "dot", "swatch": "dot"},
    "Method": {"color": "#4e79a7", "shape": "dot", "swatch": "dot"},
    "Dataset": {"color": "#59a14f", "shape": "diamond", "swatch": "diamond"},
    "Benchmark": {"color": "#e15759", "shape": "triangle", "swatch": "triangle"},
}
_ROLE_WIDTH = {"introduces": 3.0, "evaluates_on": 2.0, "compares_with": 1.5, "uses": 1.5, "mentions": 1.0}


@dataclass
class View:
    """What one view of the graph shows: node ids, edges ``(u, v, attrs)``, and how many
    nodes ``max_nodes`` left out."""

    nodes: list[str]
    edges: list[tuple[str, str, dict]]
    omitted: int
    degree: dict[str, int]


def select_view(G: nx.Graph, view: str = "paper-entity", *, max_nodes: int = DEFAULT_MAX_NODES,
                min_entity_papers: int = 2) -> View:
    """Papers and the entities at least ``min_entity_papers`` papers share (paper-entity),
    papers and their links (paper-paper), or entities and their co-occurrences (entity);
    nodes left without an edge are not shown, and beyond ``max_nodes`` only the most
    connected stay (by degree, then weight). One pass over the edges, no graph copies."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    kind = {"paper-entity": "MENTIONS", "paper-paper": "RELATED", "entity": "CO_OCCURS"}[view]
    if view == "paper-entity":
        eligible = {n for n, d in G.nodes(data=True)
                    if d.get("kind") == "Paper" or d.get("paper_count", 0) >= min_entity_papers}
    else:
        want_paper = view == "paper-paper"
        eligible = {n for n, d in G.nodes(data=True) if (d.get("kind") == "Paper") == want_paper}
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if d.get("kind") == kind and u in eligible and v in eligible]
    degree = Counter(n for u, v, _ in edges for n in (u, v))
    if len(degree) <= max_nodes:
        return View(nodes=list(degree), edges=edges, omitted=0, degree=dict(degree))
    weight: Counter = Counter()
    for u, v, d in edges:
        w = float(d.get("weight", d.get("papers", 1)) or 0)
        weight[u] += w
        weight[v] += w
    nodes = sorted(degree, key=lambda n: (-degree[n], -weight[n], str(n)))[:max_nodes]
    keep = set(nodes)
    edges = [(u, v, d) for u, v, d in edges if u in keep and v in keep]
    return View(nodes=nodes, edges=edges, omitted=len(degree) - len(keep),
                degree=dict(Counter(n for u, v, _ in edges for n in (u, v))))


def _paper_roles(G: nx.Graph, paper: str, names: dict) -> dict[str, list[str]]:
    """What a paper introduces, evaluates on, ... (every entity it mentions, shown or not)."""
    out: dict[str, list[str]] = defaultdict(list)
    for e, d in G.adj[paper].items():
        if d.get("kind") == "MENTIONS":
            out[d.get("role", "mentions")].append(names.get(e) or e)
    return out


def _examples(G: nx.Graph, entity: str, titles: dict, n: int = 3) -> list[str]:
    papers = (p for p, d in G.adj[entity].items() if d.get("kind") == "MENTIONS")
    return [titles.get(p) or p for p in islice(papers, n)]


def initial_positions(v: View, *, rounds: int = 4, seed: int = 0) -> dict[str, tuple[float, float]]:
    """Starting points for the browser's force layout: connected nodes start near each other.

    vis.js puts unplaced nodes on one circle, and a few hundred iterations of physics are not
    enough to untangle a thousand nodes from there (a ring of papers stays in the middle). Here
    every node starts at a random point of a disc, then moves ``rounds`` times halfway to the
    mean of its neighbours (sparse products, linear in edges), and the result is scaled back
    to a disc whose area grows with the number of nodes.
    """
    import numpy as np
    from scipy import sparse

    n = len(v.nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(v.nodes)}
    rng = np.random.default_rng(seed)
    r, theta = np.sqrt(rng.random(n)), 2 * np.pi * rng.random(n)
    pos = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    if v.edges:
        rows = np.fromiter((index[a] for a, _, _ in v.edges), dtype=np.int64, count=len(v.edges))
        cols = np.fromiter((index[b] for _, b, _ in v.edges), dtype=np.int64, count=len(v.edges))
        adj = sparse.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n)).tocsr()
        adj = adj + adj.T
        deg = np.asarray(adj.sum(axis=1)).ravel()
        has = deg > 0
        for _ in range(rounds):
            mean = adj @ pos
            mean[has] /= deg[has, None]
            pos[has] = 0.5 * pos[has] + 0.5 * mean[has]
    pos -= pos.mean(axis=0)
    radius = np.sqrt((pos ** 2).sum(axis=1)).max() or 1.0
    pos *= 25 * math.sqrt(n) / radius
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(v.nodes, pos)}


def _network(G: nx.Graph, v: View) -> Network:
    """A pyvis network holding the view, filled in bulk."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    names = dict(G.nodes(data="name"))
    titles = dict(G.nodes(data="title"))
    nodes = []
    start = initial_positions(v)
    for n in v.nodes:
        d = G.nodes[n]
        kind = d.get("kind", "Paper")
        style = STYLES.get(kind, STYLES["Paper"])
        if kind == "Paper":
            label = d.get("title", n)
            label = label if len(label) <= 40 else label[:38] + "…"
            size = 8 + 3 * math.sqrt(v.degree.get(n, 0))
            info = {"kind": kind, "title": d.get("title", ""), "date": d.get("date"), "roles": _paper_roles(G, n, names)}
        else:
            label = d.get("name", n)
            size = 8 + 4 * math.sqrt(max(d.get("paper_count", 1), 1))
            info = {"kind": kind, "name": d.get("name", n), "aliases": list(d.get("aliases", []))[:12],
                    "paper_count": d.get("paper_count", 0), "examples": _examples(G, n, titles)}
        x, y = start[n]
        nodes.append({"id": n, "label": label, "shape": style["shape"], "color": style["color"],
                      "size": round(size, 1), "x": x, "y": y, "kg": info})
    max_w = max((d.get("weight", 0.0) for _, _, d in v.edges), default=0.0) or 1.0
    edges = []
    for a, b, d in v.edges:
        kind = d.get("kind")
        if kind == "RELATED":
            w = float(d.get("weight", 0.0))
            width = 1 + 5 * w / max_w
            info = {"kind": kind, "weight": round(w, 3), "shared": list(d.get("shared", []))}
        elif kind == "CO_OCCURS":
            width = 1 + math.log(max(d.get("papers", 1), 1))
            info = {"kind": kind, "papers": d.get("papers", 0), "weight": d.get("papers", 0)}
        else:
            width = _ROLE_WIDTH.get(d.get("role", "mentions"), 1.0)
            info = {"kind": kind, "role": d.get("role", "mentions"), "evidence": d.get("evidence", ""),
                    "weight": d.get("confidence", 1.0)}
        edges.append({"from": a, "to": b, "width": round(width, 2), "color": {"color": "#b8c2cc", "opacity": 0.7},
                      "kg": info})
    # pyvis's data model, filled at once (add_node/add_edge are quadratic)
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    big = len(nodes) > 800
    net.set_options(json.dumps({
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big, "navigationButtons": False},
        "nodes": {"font": {"size": 12, "face": "system-ui"}, "borderWidth": 1},
        "edges": {"smooth": False, "selectionWidth": 2},
        "physics": _physics(len(nodes), len(edges)),
    }))
    return net


def _physics(n_nodes: int, n_edges: int) -> dict:
    """Force layout settings: enough iterations to settle, few enough to stay quick; the page
    turns physics off once stabilised."""
    iterations = max(60, min(300, int(250_000 / max(n_nodes + n_edges, 1))))
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -40, "centralGravity": 0.008, "springLength": 90,
                             "springConstant": 0.06, "damping": 0.5, "avoidOverlap": 0.2},
        "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50, "fit": True},
        "minVelocity": 1.0,
    }


def _asset(name: str) -> str:
    return resources.files("kg.export").joinpath("assets", name).read_text(encoding="utf-8")


def _pyvis_asset(rel: str) -> str:
    return (Path(pyvis.__file__).parent / "templates" / "lib" / rel).read_text(encoding="utf-8")


def _script_json(obj) -> str:
    """JSON safe to place inside a <script> element (no "</script>", no HTML)."""
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_VIEW_TITLES = {"paper-entity": "papers and what they mention", "paper-paper": "related papers",
                "entity": "entities used together"}


def to_html(G: nx.Graph, *, view: str = "paper-entity", max_nodes: int = DEFAULT_MAX_NODES, title: str = "kg") -> str:
    """The page for one view of ``G`` as a string (pure: no I/O besides reading assets)."""
    v = select_view(G, view, max_nodes=max_nodes)
    omitted = v.omitted
    net = _network(G, v)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    counts = defaultdict(int)
    for n in nodes:
        counts[n["kg"]["kind"]] += 1
    styles = {k: dict(v, count=counts.get(k, 0)) for k, v in STYLES.items() if counts.get(k)}
    degree = defaultdict(int)
    for e in edges:
        degree[e["from"]] += 1
        degree[e["to"]] += 1
    data = {
        "view": view,
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options),
        "styles": styles,
        "max_weight": max((e["kg"].get("weight", 0) or 0 for e in edges if e["kg"]["kind"] != "MENTIONS"), default=1),
        "max_degree": max(degree.values(), default=1),
    }
    n_papers = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "Paper")
    n_entities = G.number_of_nodes() - n_papers
    summary = (f"{view} view ({_VIEW_TITLES[view]}): {len(nodes):,} nodes, {len(edges):,} edges "
               f"from {n_papers:,} papers and {n_entities:,} entities.")
    notes = []
    if view == "paper-entity":
        notes.append("Entities only one paper mentions, and papers sharing nothing with another paper, are not "
                     "drawn (a paper's tooltip lists all it mentions).")
    if omitted:
        notes.append(f"{omitted:,} less connected nodes are left out to keep the page responsive (showing the "
                     f"{len(nodes):,} most connected); raise --max-nodes to see more.")
    note = " ".join(notes)
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("graph.html.j2"))
    return template.render(
        page_title=f"{title} — {_VIEW_TITLES[view]}",
        summary=summary,
        omitted=note,
        vis_css=Markup(_pyvis_asset("vis-9.1.2/vis-network.css")),
        vis_js=Markup(_pyvis_asset("vis-9.1.2/vis-network.min.js")),
        kg_css=Markup(_asset("kg-view.css")),
        kg_js=Markup(_asset("kg-view.js")),
        data_json=Markup(_script_json(data)),
    )


def write_html(G: nx.Graph, path: str | Path, *, view: str = "paper-entity", max_nodes: int = DEFAULT_MAX_NODES,
               title: str = "kg") -> Path:
    """Write the page for one view of ``G`` to ``path`` (atomically)."""
    path = Path(path)
    with atomic_write(path) as f:
        f.write(to_html(G, view=view, max_nodes=max_nodes, title=title))
    return path
