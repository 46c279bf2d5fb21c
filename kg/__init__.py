"""kg: a knowledge-graph builder for research papers.

The pipeline, one module per stage::

    kg.read     read_papers(paths)              -> [Paper]
    kg.extract  extract(papers)                 -> Corpus (mentions, entities)
    kg.link     link_papers(corpus)             -> [Link];  cooccurrences(corpus)
    kg.graph    build_graph(corpus, links, co)  -> networkx.Graph;  read_graph(dir)
    kg.export   write_html(G, path);  write_neo4j(G, driver)
    kg.build    build(inputs, out_dir)          -> the whole pipeline, as `kg build`

The names below are importable from ``kg`` directly; they load on first use, so that
``import kg`` stays fast.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "read_papers": "kg.read",
    "extract": "kg.extract",
    "Corpus": "kg.extract",
    "link_papers": "kg.link",
    "cooccurrences": "kg.link",
    "LinkOptions": "kg.link",
    "build_graph": "kg.graph",
    "read_graph": "kg.graph",
    "write_graph": "kg.graph",
    "write_html": "kg.export.html",
    "to_html": "kg.export.html",
    "build": "kg.build",
    "BuildOptions": "kg.build",
    "graph_stats": "kg.explore",
    "similar_papers": "kg.explore",
    "entity_info": "kg.explore",
    "communities": "kg.explore",
    "evaluate": "kg.evaluate",
    "Paper": "kg.model",
    "Mention": "kg.model",
    "Entity": "kg.model",
    "KGError": "kg.errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
