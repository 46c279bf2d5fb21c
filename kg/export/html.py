"""The interactive HTML page: one self-contained file, offline, that people can read.

Three views of the graph (:data:`VIEWS`): papers and what they mention (default), papers
linked to papers, and entities that occur together. A build whose view fits in
``max_nodes`` (:data:`DEFAULT_MAX_NODES`) is drawn whole by vis-network, the network built
with pyvis; a bigger build opens on an overview -- the entities in most papers and their
co-occurrences, coloured by community -- drawn by sigma.js (WebGL, bundled in
``assets/kg-sigma.min.js`` by ``scripts/vendor-js.sh``), and grows on demand. Either way
the page carries an index of every paper and entity (:mod:`kg.export.html_data`): search,
the details panel and "expand" reach the whole build, not only what is drawn.

The page works offline from a ``file://`` URL: its scripts are inlined, nothing is
fetched, and a Content-Security-Policy forbids fetching anything. Every text from the
input travels as JSON inside a ``<script type="application/json">`` block (with ``<``,
``>`` and ``&`` escaped) and reaches the page only through ``textContent`` or a canvas's
``fillText`` -- an abstract holding ``<script>`` shows as text and runs nothing.

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
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from kg.atomic import atomic_write
from kg.export.html_data import KINDS, OTHER_COLOR, ROLE_ORDER, node_communities, node_size, overview, page_index
from kg.schema import BENCHMARK, CO_OCCURS, DATASET, MENTIONS, METHOD, PAPER, RELATED

__all__ = [
    "VIEWS",
    "RENDERERS",
    "DEFAULT_MAX_NODES",
    "DEFAULT_OVERVIEW",
    "View",
    "select_view",
    "choose_mode",
    "to_html",
    "write_html",
    "STYLES",
]

VIEWS = ("paper-entity", "paper-paper", "entity")
RENDERERS = ("vis", "sigma")
#: a view with more nodes than this opens on the overview (the big-corpus page)
DEFAULT_MAX_NODES = 1500
#: entities drawn on a big build's overview
DEFAULT_OVERVIEW = 300
#: the renderer of overviews (measured in bench/html_page.py)
BIG_RENDERER = "sigma"

#: colour, vis-network shape and legend swatch of each node kind
STYLES = {
    PAPER: {"color": "#9aa5b1", "shape": "dot", "swatch": "dot"},
    METHOD: {"color": "#4e79a7", "shape": "dot", "swatch": "dot"},
    DATASET: {"color": "#59a14f", "shape": "diamond", "swatch": "diamond"},
    BENCHMARK: {"color": "#e15759", "shape": "triangle", "swatch": "triangle"},
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


def select_view(
    G: nx.Graph, view: str = "paper-entity", *, max_nodes: int = DEFAULT_MAX_NODES, min_entity_papers: int = 2
) -> View:
    """Papers and the entities at least ``min_entity_papers`` papers share (paper-entity),
    papers and their links (paper-paper), or entities and their co-occurrences (entity);
    nodes left without an edge are not shown, and beyond ``max_nodes`` only the most
    connected stay (by degree, then weight). One pass over the edges, no graph copies."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    kind = {"paper-entity": MENTIONS, "paper-paper": RELATED, "entity": CO_OCCURS}[view]
    if view == "paper-entity":
        eligible = {
            n for n, d in G.nodes(data=True) if d.get("kind") == PAPER or d.get("paper_count", 0) >= min_entity_papers
        }
    else:
        want_paper = view == "paper-paper"
        eligible = {n for n, d in G.nodes(data=True) if (d.get("kind") == PAPER) == want_paper}
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if d.get("kind") == kind and u in eligible and v in eligible]
    degree = Counter(n for u, v, _ in edges for n in (u, v))
    if len(degree) <= max_nodes:
        return View(nodes=list(degree), edges=edges, omitted=0, degree=dict(degree))
    weight: defaultdict[str, float] = defaultdict(float)
    for u, v, d in edges:
        w = float(d.get("weight", d.get("papers", 1)) or 0)
        weight[u] += w
        weight[v] += w
    nodes = sorted(degree, key=lambda n: (-degree[n], -weight[n], str(n)))[:max_nodes]
    keep = set(nodes)
    edges = [(u, v, d) for u, v, d in edges if u in keep and v in keep]
    return View(
        nodes=nodes,
        edges=edges,
        omitted=len(degree) - len(keep),
        degree=dict(Counter(n for u, v, _ in edges for n in (u, v))),
    )


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
    radius = np.sqrt((pos**2).sum(axis=1)).max() or 1.0
    pos *= 25 * math.sqrt(n) / radius
    return {node: (round(float(x), 1), round(float(y), 1)) for node, (x, y) in zip(v.nodes, pos, strict=True)}


def _drawn_nodes(G: nx.Graph, nodes: list[str], pos: dict[str, tuple[float, float]]) -> list[dict]:
    """What the renderer needs of each drawn node: id, position, size and shape. Colours,
    labels and tooltips come from the page index in the browser."""
    out = []
    for n in nodes:
        d = G.nodes[n]
        kind = d.get("kind", PAPER)
        count = d.get("paper_count", 0) if kind != PAPER else sum(1 for _ in G.adj[n])
        x, y = pos[n]
        out.append(
            {
                "id": n,
                "x": x,
                "y": y,
                "size": node_size(kind, count),
                "shape": STYLES.get(kind, STYLES[PAPER])["shape"],
            }
        )
    return out


def _drawn_edges(v_edges) -> list[dict]:
    out = []
    max_w = max((float(d.get("weight", 0.0) or 0.0) for _, _, d in v_edges), default=0.0) or 1.0
    for a, b, d in v_edges:
        kind = d.get("kind")
        if kind == RELATED:
            width = 1 + 4 * float(d.get("weight", 0.0) or 0.0) / max_w
        elif kind == CO_OCCURS:
            width = 1 + math.log(max(d.get("papers", 1), 1))
        else:
            width = _ROLE_WIDTH.get(d.get("role", "mentions"), 1.0)
        out.append({"from": a, "to": b, "width": round(width, 2), "kind": kind})
    return out


def _network(nodes: list[dict], edges: list[dict], *, physics: bool) -> Network:
    """A pyvis network holding what the page draws first, filled in bulk (pyvis's
    ``add_node``/``add_edge`` check for duplicates by scanning lists: quadratic)."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="in_line")
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [n["id"] for n in nodes]
    net.node_map = {n["id"]: n for n in nodes}
    big = len(nodes) > 800
    net.set_options(
        json.dumps(
            {
                "layout": {"improvedLayout": False},
                "interaction": {
                    "hover": True,
                    "tooltipDelay": 150,
                    "hideEdgesOnDrag": big,
                    "navigationButtons": False,
                    "zoomView": True,
                },
                "nodes": {"font": {"size": 12, "face": "system-ui"}, "borderWidth": 1},
                "edges": {"smooth": False, "selectionWidth": 2},
                "physics": _physics(len(nodes), len(edges)) if physics else {"enabled": False},
            }
        )
    )
    return net


def _physics(n_nodes: int, n_edges: int) -> dict:
    """Force layout settings: enough iterations to settle, few enough to stay quick; the page
    turns physics off once stabilised. The nodes start from neighbour-smoothed positions
    (:func:`initial_positions`), so 60 iterations give the seed page the same picture as 150
    did, in about half the time (bench/html_page.py)."""
    iterations = max(60, min(150, int(100_000 / max(n_nodes + n_edges, 1))))
    return {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -40,
            "centralGravity": 0.008,
            "springLength": 90,
            "springConstant": 0.06,
            "damping": 0.5,
            "avoidOverlap": 0.2,
        },
        "stabilization": {"enabled": True, "iterations": iterations, "updateInterval": 50, "fit": True},
        "minVelocity": 1.0,
    }


def _asset(name: str) -> str:
    return (resources.files("kg.export") / "assets" / name).read_text(encoding="utf-8")


def _pyvis_asset(rel: str) -> str:
    return (Path(pyvis.__file__).parent / "templates" / "lib" / rel).read_text(encoding="utf-8")


def _script_json(obj) -> str:
    """JSON safe to place inside a <script> element (no "</script>", no HTML)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


_VIEW_TITLES = {
    "paper-entity": "papers and what they mention",
    "paper-paper": "related papers",
    "entity": "entities used together",
    "overview": "overview",
}
#: edges the page draws between nodes it adds, per view
_EDGE_KINDS = {
    "paper-entity": [MENTIONS],
    "paper-paper": [RELATED],
    "entity": [CO_OCCURS],
    "overview": [CO_OCCURS, MENTIONS, RELATED],
}


def choose_mode(G: nx.Graph, view: str = "paper-entity", *, max_nodes: int = DEFAULT_MAX_NODES) -> str:
    """``"full"`` when the whole view fits in ``max_nodes`` drawn nodes, else ``"overview"``
    (the threshold of the big-corpus page, :data:`DEFAULT_MAX_NODES` by default)."""
    return "full" if select_view(G, view, max_nodes=max_nodes).omitted == 0 else "overview"


def to_html(
    G: nx.Graph,
    *,
    view: str = "paper-entity",
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "kg",
    mode: str = "auto",
    renderer: str = "auto",
    overview_size: int = DEFAULT_OVERVIEW,
) -> str:
    """The page for ``G`` as a string (pure: no I/O besides reading assets).

    ``mode``: ``"full"`` draws ``view`` (its ``max_nodes`` most connected nodes),
    ``"overview"`` draws the ``overview_size`` entities in most papers and their
    co-occurrences, and ``"auto"`` picks full when the whole view fits in ``max_nodes``.
    ``renderer``: ``"vis"`` (vis-network through pyvis) or ``"sigma"`` (WebGL); ``"auto"``
    takes vis-network for full pages and sigma for overviews. Either way the page can search,
    show and expand every paper and entity of ``G``.
    """
    if mode not in ("auto", "full", "overview"):
        raise ValueError(f"unknown mode {mode!r}; choose auto, full or overview")
    if renderer not in ("auto",) + RENDERERS:
        raise ValueError(f"unknown renderer {renderer!r}; choose auto, {', '.join(RENDERERS)}")
    v = select_view(G, view, max_nodes=max_nodes)
    if mode == "auto":
        mode = "full" if v.omitted == 0 else "overview"
    if renderer == "auto":
        renderer = "vis" if mode == "full" else BIG_RENDERER
    community, comms = node_communities(G)
    index = page_index(G, community)
    if mode == "full":
        nodes = _drawn_nodes(G, v.nodes, initial_positions(v))
        edges = _drawn_edges(v.edges)
        physics = True
        cap = 144
    else:
        o = overview(G, size=overview_size, community=community)
        nodes = _drawn_nodes(G, o.nodes, o.pos)
        # the ten entities in most papers get the biggest size, the others scale below them
        counts = sorted((G.nodes[n].get("paper_count", 0) for n in o.nodes), reverse=True)
        cap = counts[min(9, len(counts) - 1)] if counts else 1
        for n in nodes:
            n["size"] = node_size(METHOD, G.nodes[n["id"]].get("paper_count", 0), cap=cap)
        edges = _drawn_edges([(a, b, {"kind": CO_OCCURS, "papers": p}) for a, b, p in o.edges])
        physics = False
    net = _network(nodes, edges, physics=physics)
    nodes, edges, _heading, _h, _w, options = net.get_network_data()
    kind_counts = Counter(KINDS[k] for k in index["kind"])
    styles = {k: dict(s, count=kind_counts.get(k, 0)) for k, s in STYLES.items() if kind_counts.get(k)}
    data = {
        "view": view if mode == "full" else "overview",
        "mode": mode,
        "renderer": renderer,
        "kinds": list(KINDS),
        "roles": list(ROLE_ORDER),
        "styles": styles,
        "communities": comms,
        "other_color": OTHER_COLOR,
        "entity_cap": cap,
        "edge_kinds": _EDGE_KINDS[view if mode == "full" else "overview"],
        "options": json.loads(options),
        "draw": {"nodes": nodes, "edges": edges},
        "index": index,
    }
    n_papers = index["n_papers"]
    n_entities = len(index["id"]) - n_papers
    if mode == "full":
        summary = (
            f"{view} view ({_VIEW_TITLES[view]}): {len(nodes):,} nodes, {len(edges):,} edges "
            f"from {n_papers:,} papers and {n_entities:,} entities."
        )
    else:
        summary = (
            f"Overview of {n_papers:,} papers and {n_entities:,} entities: the {len(nodes):,} entities in "
            f"most papers, linked when papers use them together. Double-click an entity to bring its "
            f"papers, a paper for its neighbourhood; search finds everything."
        )
    notes = []
    if mode == "full" and view == "paper-entity":
        notes.append(
            "Entities only one paper mentions, and papers sharing nothing with another paper, start "
            "undrawn: search finds them and brings them onto the map."
        )
    if mode == "full" and v.omitted:
        notes.append(
            f"{v.omitted:,} less connected nodes are left out to keep the page responsive (showing the "
            f"{len(nodes):,} most connected); search or double-click brings them in."
        )
    if renderer == "vis":
        lib_css, lib_js = _pyvis_asset("vis-9.1.2/vis-network.css"), _pyvis_asset("vis-9.1.2/vis-network.min.js")
    else:
        lib_css, lib_js = "", _asset("kg-sigma.min.js")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(_asset("graph.html.j2"))
    return template.render(
        page_title=f"{title} — {_VIEW_TITLES[data['view']]}",
        summary=summary,
        omitted=" ".join(notes),
        searchable=f"{n_papers:,} papers and {n_entities:,} entities",
        color_mode="community" if comms else "type",
        lib_css=Markup(lib_css),
        lib_js=Markup(lib_js),
        render_js=Markup(_asset(f"kg-render-{renderer}.js")),
        kg_css=Markup(_asset("kg-view.css")),
        kg_parts_js=Markup(_asset("kg-labels.js") + "\n" + _asset("kg-search.js")),
        kg_js=Markup(_asset("kg-view.js")),
        data_json=Markup(_script_json(data)),
    )


def write_html(
    G: nx.Graph,
    path: str | Path,
    *,
    view: str = "paper-entity",
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "kg",
    mode: str = "auto",
    renderer: str = "auto",
    overview_size: int = DEFAULT_OVERVIEW,
) -> Path:
    """Write the page for ``G`` to ``path`` (atomically); see :func:`to_html`."""
    path = Path(path)
    with atomic_write(path) as f:
        f.write(
            to_html(
                G,
                view=view,
                max_nodes=max_nodes,
                title=title,
                mode=mode,
                renderer=renderer,
                overview_size=overview_size,
            )
        )
    return path
